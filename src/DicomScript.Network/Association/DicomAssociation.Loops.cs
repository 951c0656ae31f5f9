using DicomScript.Network.Dimse;
using DicomScript.Network.Pdu;

namespace DicomScript.Network.Association;

// The reader and request loops of an established association.
public sealed partial class DicomAssociation
{
    private async Task RequestLoopAsync()
    {
        await foreach (var request in _requests.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            await HandleRequestAsync(request).ConfigureAwait(false);
            Interlocked.Decrement(ref _queuedRequests);
        }
    }

    private async Task HandleRequestAsync(DimseMessage request)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
        _requestsInProgress[request.MessageId] = cancel;
        try
        {
            if (_handler is null)
                await SendResponseAsync(request, DimseStatus.UnrecognizedOperation, CancellationToken.None).ConfigureAwait(false);
            else
                await _handler(this, request, cancel.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !_lifetime.IsCancellationRequested)
        {
            // A handler that throws must not end the association; the peer gets a failure status.
            Log.HandlerFailed(_logger, ex, request.Field.ToString(), Remote);
            await TrySendFailureAsync(request).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // the association is ending
        }
        finally
        {
            _requestsInProgress.TryRemove(request.MessageId, out _);
            request.Dispose();
        }
    }

    private async Task TrySendFailureAsync(DimseMessage request)
    {
        try
        {
            await SendResponseAsync(request, DimseStatus.ProcessingFailure, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DicomNetworkException or InvalidOperationException or ObjectDisposedException)
        {
            // the association is already gone
        }
    }

    private async Task ReaderLoopAsync()
    {
        try
        {
            while (!_lifetime.IsCancellationRequested)
            {
                Pdu.Pdu? pdu;
                try
                {
                    pdu = await ReadNextAsync().ConfigureAwait(false);
                }
                catch (DicomNetworkException ex) when (ex.Reason is NetworkError.MalformedPdu or NetworkError.PduTooLong)
                {
                    Apply(AssociationEvent.InvalidPduReceived); // AA-8 (AA-7 in Sta13)
                    await AbortWithAsync(new AAbort(AbortSource.ServiceProvider, AbortReason.UnrecognizedPdu), ex).ConfigureAwait(false);
                    return;
                }
                catch (TimeoutException)
                {
                    Apply(AssociationEvent.LocalAbortRequest); // AA-1
                    await AbortWithAsync(new AAbort(AbortSource.ServiceUser, AbortReason.NotSpecified),
                        new DicomNetworkException(NetworkError.Timeout, $"nothing received for {_options.IdleTimeout.TotalSeconds:0} s")).ConfigureAwait(false);
                    return;
                }
                catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
                {
                    pdu = null;
                }

                if (pdu is null)
                {
                    var closed = Apply(AssociationEvent.TransportClosed);
                    if (closed == AssociationAction.AR5 || _releaseConfirmed.Task.IsCompleted)
                        End(null);
                    else
                        End(new DicomNetworkException(NetworkError.ConnectionClosed, "the peer closed the connection"));
                    return;
                }

                if (!await HandlePduAsync(pdu).ConfigureAwait(false))
                    return;
            }
        }
        finally
        {
            CloseTransport();
            _requests.Writer.TryComplete();
            await _requestLoop.ConfigureAwait(false);
            foreach (var partial in _partial.Values)
                partial.Dispose();
            _partial.Clear();
        }
    }

    // Reads one PDU with the idle timeout (acceptor) or without one (requestor: responses have their own).
    private async Task<Pdu.Pdu?> ReadNextAsync()
    {
        if (IsRequestor || _options.IdleTimeout <= TimeSpan.Zero)
            return await PduReader.ReadAsync(_stream, _options.MaxPduLength, _receiveBuffer, _lifetime.Token).ConfigureAwait(false);
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
        idle.CancelAfter(_options.IdleTimeout);
        try
        {
            return await PduReader.ReadAsync(_stream, _options.MaxPduLength, _receiveBuffer, idle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_lifetime.IsCancellationRequested)
        {
            throw new TimeoutException();
        }
    }

    /// <summary>Takes one PDU through the state table; false when the association has ended.</summary>
    private async Task<bool> HandlePduAsync(Pdu.Pdu pdu)
    {
        var action = Apply(EventFor(pdu));
        switch (action)
        {
            case AssociationAction.DT2 or AssociationAction.AR6:
                return await ReceivePDataAsync((PDataTf)pdu).ConfigureAwait(false);

            case AssociationAction.AR2:
                // The peer asks to release: finish the requests in progress, then confirm (AR-4) and
                // wait for the peer to close.
                _requests.Writer.TryComplete();
                await _requestLoop.ConfigureAwait(false);
                Apply(AssociationEvent.LocalReleaseResponse);
                await SendPduAsync(new AReleaseRp()).ConfigureAwait(false);
                Log.AssociationReleased(_logger, Remote);
                _releaseConfirmed.TrySetResult();
                return true; // Sta13: the next read sees the close (AR-5) or ARTIM ends it

            case AssociationAction.AR3:
                _releaseConfirmed.TrySetResult();
                Log.AssociationReleased(_logger, Remote);
                End(null);
                return false;

            case AssociationAction.AR8:
                // Release collision: the requestor answers first (AR-9), the acceptor waits (PS3.8 §7.2.2).
                if (IsRequestor)
                {
                    Apply(AssociationEvent.LocalReleaseResponse); // AR-9
                    await SendPduAsync(new AReleaseRp()).ConfigureAwait(false);
                }

                return true;

            case AssociationAction.AR10:
                Apply(AssociationEvent.LocalReleaseResponse); // AR-4
                await SendPduAsync(new AReleaseRp()).ConfigureAwait(false);
                _releaseConfirmed.TrySetResult();
                return true;

            case AssociationAction.AA3:
                var abort = (AAbort)pdu;
                Log.AssociationAborted(_logger, Remote, $"by the peer ({abort.Source}, {abort.Reason})");
                End(new DicomNetworkException(NetworkError.Aborted, $"the peer aborted the association ({abort.Source}, {abort.Reason})"));
                return false;

            case AssociationAction.AA6:
                return true; // Sta13: ignored

            default:
                // AA-7, AA-8, or a blank cell: the PDU has no place here.
                await AbortWithAsync(new AAbort(AbortSource.ServiceProvider, AbortReason.UnexpectedPdu),
                    new DicomNetworkException(NetworkError.UnexpectedPdu, $"unexpected {pdu.Type} in state {_machine.State}")).ConfigureAwait(false);
                return false;
        }
    }

    private async Task<bool> ReceivePDataAsync(PDataTf data)
    {
        foreach (var pdv in data.Pdvs)
        {
            if (!Contexts.TryGetValue(pdv.PresentationContextId, out var context))
            {
                await AbortWithAsync(new AAbort(AbortSource.ServiceProvider, AbortReason.InvalidPduParameterValue),
                    new DicomNetworkException(NetworkError.MalformedMessage, $"PDV for presentation context {pdv.PresentationContextId}, which was not accepted")).ConfigureAwait(false);
                return false;
            }

            if (!_partial.TryGetValue(pdv.PresentationContextId, out var partial))
                _partial[pdv.PresentationContextId] = partial = new PartialMessage();

            try
            {
                if (pdv.IsCommand)
                {
                    if (partial.Command is not null)
                        throw new DicomNetworkException(NetworkError.MalformedMessage, "command fragment after a complete command");
                    partial.CommandBytes.Write(pdv.Data.Span);
                    if (!pdv.IsLast)
                        continue;
                    partial.Command = DimseCommands.Decode(partial.CommandBytes.ToArray());
                    if (DimseCommands.HasDataSet(partial.Command))
                    {
                        partial.Data = new DataSetBuffer(_options.SpillThreshold, _options.TemporaryFolder);
                        continue;
                    }

                    _partial.Remove(pdv.PresentationContextId);
                    partial.Dispose();
                    await DeliverAsync(new DimseMessage(pdv.PresentationContextId, partial.Command, null)).ConfigureAwait(false);
                }
                else
                {
                    if (partial.Data is null)
                        throw new DicomNetworkException(NetworkError.MalformedMessage, "dataset fragment without a command that announces one");
                    partial.Data.Append(pdv.Data.Span);
                    if (!pdv.IsLast)
                        continue;
                    _partial.Remove(pdv.PresentationContextId);
                    var dataSet = partial.Data.Complete(context.TransferSyntax);
                    partial.Dispose();
                    await DeliverAsync(new DimseMessage(pdv.PresentationContextId, partial.Command!, dataSet)).ConfigureAwait(false);
                }
            }
            catch (DicomNetworkException ex)
            {
                await AbortWithAsync(new AAbort(AbortSource.ServiceProvider, AbortReason.InvalidPduParameterValue), ex).ConfigureAwait(false);
                return false;
            }
        }

        return true;
    }

    private async Task DeliverAsync(DimseMessage message)
    {
        if (message.IsResponse)
        {
            if (_pendingResponses.TryGetValue(message.MessageIdBeingRespondedTo, out var waiting))
            {
                waiting.Writer.TryWrite(message);
                return;
            }

            Log.UnexpectedResponse(_logger, message.MessageIdBeingRespondedTo, Remote);
            message.Dispose();
            return;
        }

        if (message.Field == CommandField.CCancelRq)
        {
            if (_requestsInProgress.TryGetValue(message.MessageIdBeingRespondedTo, out var cancel))
                cancel.Cancel();
            message.Dispose();
            return;
        }

        // Nothing to cancel in a C-STORE or C-ECHO and the peer waits for the answer: with no
        // request before it, handling it here saves handing it to the request loop's thread.
        if (message.Field is CommandField.CStoreRq or CommandField.CEchoRq && Volatile.Read(ref _queuedRequests) == 0)
        {
            await HandleRequestAsync(message).ConfigureAwait(false);
            return;
        }

        Interlocked.Increment(ref _queuedRequests);
        if (!_requests.Writer.TryWrite(message))
        {
            Interlocked.Decrement(ref _queuedRequests);
            message.Dispose();
        }
    }

    private async Task AbortWithAsync(AAbort abort, DicomNetworkException reason)
    {
        Log.AssociationAborted(_logger, Remote, reason.Message);
        await SendPduAsync(abort).ConfigureAwait(false);
        End(reason);
    }

    private void End(DicomNetworkException? failure)
    {
        Failure ??= failure;
        var error = failure ?? new DicomNetworkException(NetworkError.ConnectionClosed, "the association has ended");
        foreach (var waiting in _pendingResponses.Values)
            waiting.Writer.TryComplete(error);
        _releaseConfirmed.TrySetResult();
        CloseTransport();
    }
}
