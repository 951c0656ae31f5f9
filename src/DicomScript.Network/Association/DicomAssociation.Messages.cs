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
    public async Task SendAsync(byte presentationContextId, DicomDataset command, ReadOnlyMemory<byte>? dataSet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var commandBytes = DimseCommands.Encode(command);
        var maxData = (int)Math.Min(PeerMaxPduLength == 0 ? 1 << 20 : PeerMaxPduLength, 1 << 20) - 6;
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var action = Apply(AssociationEvent.LocalPDataRequest);
            if (action is not (AssociationAction.DT1 or AssociationAction.AR7))
                throw new DicomNetworkException(NetworkError.ConnectionClosed, $"cannot send: the association is {State}");
            await EnqueueFragmentsAsync(presentationContextId, isCommand: true, commandBytes, maxData, cancellationToken).ConfigureAwait(false);
            if (dataSet is { } data)
                await EnqueueFragmentsAsync(presentationContextId, isCommand: false, data, maxData, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException ex)
        {
            throw new DicomNetworkException(NetworkError.ConnectionClosed, "the association has ended", ex);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task EnqueueFragmentsAsync(byte id, bool isCommand, ReadOnlyMemory<byte> bytes, int maxData, CancellationToken cancellationToken)
    {
        var offset = 0;
        do
        {
            var length = Math.Min(maxData, bytes.Length - offset);
            var last = offset + length == bytes.Length;
            await _outgoing.Writer.WriteAsync(new PDataTf([new Pdv(id, isCommand, last, bytes.Slice(offset, length))]), cancellationToken).ConfigureAwait(false);
            offset += length;
        }
        while (offset < bytes.Length);
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
                DimseMessage response;
                using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
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
            await _outgoing.Writer.WriteAsync(new AReleaseRq(), cancellationToken).ConfigureAwait(false);
            await _releaseConfirmed.Task.WaitAsync(_options.ArtimTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or ChannelClosedException)
        {
            await AbortAsync().ConfigureAwait(false);
        }

        await _readerLoop.WaitAsync(_options.ArtimTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Aborts the association: A-ABORT (service user), then the connection closes.</summary>
    public async Task AbortAsync()
    {
        if (Apply(AssociationEvent.LocalAbortRequest) is AssociationAction.AA1)
            await SendDirectAfterQueueAsync(new AAbort(AbortSource.ServiceUser, AbortReason.NotSpecified)).ConfigureAwait(false);
        End(new DicomNetworkException(NetworkError.Aborted, "aborted locally"));
    }
}
