using DicomScript.Network.Dimse;
using DicomScript.Network.Pdu;

namespace DicomScript.Network.Association;

// The reader, writer and request loops of an established association.
public sealed partial class DicomAssociation
{
    private async Task WriterLoopAsync()
    {
        try
        {
            await foreach (var pdu in _outgoing.Reader.ReadAllAsync(_lifetime.Token).ConfigureAwait(false))
            {
                await PduWriter.WriteAsync(_output, pdu, _lifetime.Token).ConfigureAwait(false);
                if (!_outgoing.Reader.TryPeek(out _))
                    await _output.FlushAsync(_lifetime.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The reader loop sees the same broken connection and ends the association.
        }
    }

    private async Task RequestLoopAsync()
    {
        await foreach (var request in _requests.Reader.ReadAllAsync().ConfigureAwait(false))
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
            await _writerLoop.ConfigureAwait(false);
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
                await _outgoing.Writer.WriteAsync(new AReleaseRp()).ConfigureAwait(false);
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
                    await _outgoing.Writer.WriteAsync(new AReleaseRp()).ConfigureAwait(false);
                }

                return true;

            case AssociationAction.AR10:
                Apply(AssociationEvent.LocalReleaseResponse); // AR-4
                await _outgoing.Writer.WriteAsync(new AReleaseRp()).ConfigureAwait(false);
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
                    Deliver(new DimseMessage(pdv.PresentationContextId, partial.Command, null));
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
                    Deliver(new DimseMessage(pdv.PresentationContextId, partial.Command!, dataSet));
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

    private void Deliver(DimseMessage message)
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

        if (!_requests.Writer.TryWrite(message))
            message.Dispose();
    }

    private async Task AbortWithAsync(AAbort abort, DicomNetworkException reason)
    {
        Log.AssociationAborted(_logger, Remote, reason.Message);
        await SendDirectAfterQueueAsync(abort).ConfigureAwait(false);
        End(reason);
    }

    // An abort goes out after what is already queued, then the connection closes.
    private async Task SendDirectAfterQueueAsync(Pdu.Pdu pdu)
    {
        if (_outgoing.Writer.TryWrite(pdu))
        {
            _outgoing.Writer.TryComplete();
            await Task.WhenAny(_writerLoop, Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
        }
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
