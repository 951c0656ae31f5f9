using System.Runtime.CompilerServices;
using System.Threading.Channels;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Network.Dimse;
using DicomScript.Network.Pdu;

namespace DicomScript.Network.Association;

// Sending DIMSE messages, awaiting responses, release and abort.
public sealed partial class DicomAssociation
{
    /// <summary>
    /// Sends a message: the command in its own P-DATA-TF, then the dataset (already encoded in the
    /// context's transfer syntax) in PDUs no larger than the peer accepts. Messages never interleave.
    /// </summary>
    public Task SendAsync(byte presentationContextId, DicomDataset command, ReadOnlyMemory<byte>? dataSet, CancellationToken cancellationToken) =>
        SendAsync(presentationContextId, command, dataSet, flush: true, cancellationToken);

    /// <summary>
    /// Sends a message, written by the caller's own thread under the write lock. With
    /// <paramref name="flush"/> false (the caller sends another message at once: C-FIND answers) its
    /// bytes may wait in the send buffer (64 KB) and leave with the next flushed message, in one send.
    /// </summary>
    public Task SendAsync(byte presentationContextId, DicomDataset command, ReadOnlyMemory<byte>? dataSet, bool flush, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var commandBytes = DimseCommands.Encode(command);
        var maxData = (int)Math.Min(PeerMaxPduLength == 0 ? 1 << 20 : PeerMaxPduLength, 1 << 20) - 6;
        return WriteLockedAsync(async () =>
        {
            var action = Apply(AssociationEvent.LocalPDataRequest);
            if (action is not (AssociationAction.DT1 or AssociationAction.AR7))
                throw new DicomNetworkException(NetworkError.ConnectionClosed, $"cannot send: the association is {State}");
            // Once the first PDU is under way only the association's end stops it: a message cut
            // short would leave the peer reading garbage.
            await WriteFragmentsAsync(presentationContextId, isCommand: true, commandBytes, maxData).ConfigureAwait(false);
            if (dataSet is { } data)
                await WriteFragmentsAsync(presentationContextId, isCommand: false, data, maxData).ConfigureAwait(false);
            if (flush)
                await _output.FlushAsync(_lifetime.Token).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>Sends what messages sent with flush false left in the send buffer.</summary>
    public Task FlushAsync(CancellationToken cancellationToken) => WriteLockedAsync(() => _output.FlushAsync(_lifetime.Token), cancellationToken);

    // Writes under the write lock (waited for with the caller's token); a connection that broke or
    // closed meanwhile surfaces as the association's end.
    private async Task WriteLockedAsync(Func<Task> write, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await write().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException || (ex is OperationCanceledException && _lifetime.IsCancellationRequested))
        {
            throw new DicomNetworkException(NetworkError.ConnectionClosed, "the association has ended", ex);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task WriteFragmentsAsync(byte id, bool isCommand, ReadOnlyMemory<byte> bytes, int maxData)
    {
        var offset = 0;
        do
        {
            var length = Math.Min(maxData, bytes.Length - offset);
            var last = offset + length == bytes.Length;
            await PduWriter.WriteAsync(_output, new PDataTf([new Pdv(id, isCommand, last, bytes.Slice(offset, length))]), _lifetime.Token).ConfigureAwait(false);
            offset += length;
        }
        while (offset < bytes.Length);
    }

    // A PDU of its own (association answer, release, abort), flushed at once, after the message being
    // written if any. A write that fails is left to the reader, which sees the same broken connection;
    // a message stuck on a peer that stopped reading is waited for 2 s at most.
    private async Task SendPduAsync(Pdu.Pdu pdu)
    {
        if (!await _writeLock.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false))
            return;
        try
        {
            await PduWriter.WriteAsync(_output, pdu, _lifetime.Token).ConfigureAwait(false);
            await _output.FlushAsync(_lifetime.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // the peer is gone; closing follows
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Answers a request with a status (and optionally a dataset).</summary>
    public Task SendResponseAsync(DimseMessage request, ushort status, CancellationToken cancellationToken, DicomDataset? extraCommandElements = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = DimseCommands.Response(request.Command, status);
        foreach (var item in extraCommandElements ?? [])
            response.Add(item);
        return SendAsync(request.PresentationContextId, response, null, cancellationToken);
    }

    /// <summary>
    /// Sends a request and yields its responses as they arrive, the final (non-pending) one last.
    /// The MessageID is set here. Each response must arrive within <paramref name="responseTimeout"/>.
    /// </summary>
    public async IAsyncEnumerable<DimseMessage> RequestAsync(byte presentationContextId, DicomDataset command, ReadOnlyMemory<byte>? dataSet,
        TimeSpan responseTimeout, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var messageId = NextMessageId();
        command.AddUInt16(DicomTags.MessageID, messageId);
        var responses = Channel.CreateUnbounded<DimseMessage>(new UnboundedChannelOptions { SingleReader = true });
        _pendingResponses[messageId] = responses;
        try
        {
            await SendAsync(presentationContextId, command, dataSet, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                // A response already received (C-FIND answers arrive by the dozen) needs no timer.
                if (!responses.Reader.TryRead(out var response))
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    if (responseTimeout > TimeSpan.Zero)
                        timeout.CancelAfter(responseTimeout);
                    try
                    {
                        response = await responses.Reader.ReadAsync(timeout.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        throw new DicomNetworkException(NetworkError.Timeout, $"no response to message {messageId} within {responseTimeout.TotalSeconds:0} s");
                    }
                    catch (ChannelClosedException ex)
                    {
                        throw ex.InnerException as DicomNetworkException ?? new DicomNetworkException(NetworkError.ConnectionClosed, "the association has ended", ex);
                    }
                }

                yield return response;
                if (!DimseStatus.IsPending(response.Status))
                    yield break;
            }
        }
        finally
        {
            _pendingResponses.TryRemove(messageId, out _);
        }
    }

    /// <summary>Sends C-CANCEL for a request in progress (C-FIND, C-MOVE, C-GET).</summary>
    public Task CancelAsync(byte presentationContextId, ushort messageId, CancellationToken cancellationToken) =>
        SendAsync(presentationContextId, DimseCommands.CancelRequest(messageId), null, cancellationToken);

    /// <summary>Releases the association (requestor side): A-RELEASE-RQ, then waits for A-RELEASE-RP.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken = default)
    {
        if (Apply(AssociationEvent.LocalReleaseRequest) != AssociationAction.AR1)
            return;
        try
        {
            await SendPduAsync(new AReleaseRq()).ConfigureAwait(false);
            await _releaseConfirmed.Task.WaitAsync(_options.ArtimTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await AbortAsync().ConfigureAwait(false);
        }

        await _readerLoop.WaitAsync(_options.ArtimTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Aborts the association: A-ABORT (service user), then the connection closes.</summary>
    public async Task AbortAsync()
    {
        if (Apply(AssociationEvent.LocalAbortRequest) is AssociationAction.AA1)
            await SendPduAsync(new AAbort(AbortSource.ServiceUser, AbortReason.NotSpecified)).ConfigureAwait(false);
        End(new DicomNetworkException(NetworkError.Aborted, "aborted locally"));
    }
}
