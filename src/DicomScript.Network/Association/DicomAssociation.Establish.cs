using System.Net.Sockets;
using DicomScript.Network.Pdu;
using Microsoft.Extensions.Logging;

namespace DicomScript.Network.Association;

// Establishing an association: as acceptor (after a TCP accept) or as requestor (connect + RQ).
public sealed partial class DicomAssociation
{
    /// <summary>
    /// Runs the acceptor side of association establishment on an accepted connection: waits (ARTIM)
    /// for the A-ASSOCIATE-RQ, asks <paramref name="negotiate"/>, answers AC or RJ. Returns the
    /// established association, or null when none was established (the connection is then closed).
    /// </summary>
    public static async Task<DicomAssociation?> AcceptAsync(Socket socket, AssociationOptions options, Func<AAssociateRq, AssociationDecision> negotiate,
        DimseRequestHandler handler, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(negotiate);
        ConfigureSocket(socket);
        var association = new DicomAssociation(new NetworkStream(socket, ownsSocket: true), null, socket.RemoteEndPoint, isRequestor: false, options, logger);
        association.Apply(AssociationEvent.TransportConnectIndication); // AE-5: ARTIM runs while we wait
        Pdu.Pdu? first;
        try
        {
            using var artim = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            artim.CancelAfter(options.ArtimTimeout);
            first = await PduReader.ReadAsync(association._stream, options.MaxPduLength, artim.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            association.Apply(AssociationEvent.ArtimExpired); // AA-2
            Log.ConnectionDropped(logger, association.Remote, $"no A-ASSOCIATE-RQ within {options.ArtimTimeout.TotalSeconds:0} s");
            association.CloseTransport();
            return null;
        }
        catch (DicomNetworkException ex) when (ex.Reason is NetworkError.MalformedPdu or NetworkError.PduTooLong)
        {
            association.Apply(AssociationEvent.InvalidPduReceived); // AA-1: abort, we are not associated
            await association.SendPduAsync(new AAbort(AbortSource.ServiceProvider, AbortReason.UnrecognizedPdu)).ConfigureAwait(false);
            Log.ConnectionDropped(logger, association.Remote, ex.Message);
            association.CloseTransport();
            return null;
        }
        catch (Exception ex) when (ex is IOException or DicomNetworkException)
        {
            association.Apply(AssociationEvent.TransportClosed); // AA-5
            Log.ConnectionDropped(logger, association.Remote, ex.Message);
            association.CloseTransport();
            return null;
        }

        if (first is not AAssociateRq request)
        {
            var evt = first is null ? AssociationEvent.TransportClosed : EventFor(first);
            var action = association.Apply(evt);
            if (action == AssociationAction.AA1)
                await association.SendPduAsync(new AAbort(AbortSource.ServiceUser, AbortReason.NotSpecified)).ConfigureAwait(false);
            Log.ConnectionDropped(logger, association.Remote, first is null ? "closed by peer" : $"{first.Type} before A-ASSOCIATE-RQ");
            association.CloseTransport();
            return null;
        }

        association.Apply(AssociationEvent.AssociateRqReceived); // AE-6 (acceptable at this level: we decide below)
        var decision = negotiate(request);
        if (decision.Accept is { } accept)
        {
            association.SetContexts(request, accept);
            association.Apply(AssociationEvent.LocalAssociateAccept); // AE-7
            Log.AssociationAccepted(logger, request.CallingAETitle, association.Remote, request.CalledAETitle, association.Contexts.Count, request.PresentationContexts.Count);
            await association.SendPduAsync(accept).ConfigureAwait(false);
            association.Start(handler);
            return association;
        }

        association.Request = request;
        association.Apply(AssociationEvent.LocalAssociateReject); // AE-8
        Log.AssociationRejected(logger, request.CallingAETitle, association.Remote, request.CalledAETitle, decision.Reason ?? "rejected");
        await association.SendPduAsync(decision.Reject!).ConfigureAwait(false);
        await association.AwaitCloseAsync().ConfigureAwait(false);
        return null;
    }

    /// <summary>
    /// Connects to a peer and requests an association. Throws <see cref="DicomNetworkException"/> with
    /// <see cref="NetworkError.Rejected"/> when the peer refuses it.
    /// </summary>
    public static async Task<DicomAssociation> ConnectAsync(string host, int port, AAssociateRq request, AssociationOptions options,
        DimseRequestHandler? handler, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var client = new TcpClient();
        try
        {
            ConfigureSocket(client.Client);
            using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                connectTimeout.CancelAfter(options.ArtimTimeout);
                await client.ConnectAsync(host, port, connectTimeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            client.Dispose();
            throw new DicomNetworkException(NetworkError.ConnectionClosed, $"cannot connect to {host}:{port}: {ex.Message}", ex);
        }

        var association = new DicomAssociation(client.GetStream(), client, client.Client.RemoteEndPoint, isRequestor: true, options, logger);
        association.Apply(AssociationEvent.LocalAssociateRequest); // AE-1
        association.Apply(AssociationEvent.TransportConnectConfirm); // AE-2
        var ours = request with { UserInformation = request.UserInformation with { MaxPduLength = options.MaxPduLength } };
        association.Request = ours;
        Pdu.Pdu? answer;
        try
        {
            await association.SendPduAsync(ours).ConfigureAwait(false);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.ArtimTimeout);
            answer = await PduReader.ReadAsync(association._stream, options.MaxPduLength, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or DicomNetworkException)
        {
            association.CloseTransport();
            throw ex as DicomNetworkException ?? new DicomNetworkException(NetworkError.Timeout, $"no answer to A-ASSOCIATE-RQ from {host}:{port}: {ex.Message}", ex);
        }

        switch (answer)
        {
            case AAssociateAc accept:
                association.Apply(AssociationEvent.AssociateAcReceived); // AE-3
                association.SetContexts(ours, accept);
                association.Start(handler);
                return association;
            case AAssociateRj reject:
                association.Apply(AssociationEvent.AssociateRjReceived); // AE-4
                association.CloseTransport();
                throw new DicomNetworkException(NetworkError.Rejected,
                    $"{host}:{port} rejected the association ({reject.Result}, source {reject.Source}, reason {reject.Reason})");
            case AAbort abort:
                association.Apply(AssociationEvent.AbortReceived);
                association.CloseTransport();
                throw new DicomNetworkException(NetworkError.Aborted, $"{host}:{port} aborted the association request ({abort.Source}, {abort.Reason})");
            default:
                association.Apply(answer is null ? AssociationEvent.TransportClosed : AssociationEvent.InvalidPduReceived);
                if (answer is not null)
                    await association.SendPduAsync(new AAbort(AbortSource.ServiceProvider, AbortReason.UnexpectedPdu)).ConfigureAwait(false);
                association.CloseTransport();
                throw new DicomNetworkException(NetworkError.UnexpectedPdu, $"{host}:{port} answered the association request with {answer?.Type.ToString() ?? "a closed connection"}");
        }
    }

    private static AssociationEvent EventFor(Pdu.Pdu pdu) => pdu.Type switch
    {
        PduType.AssociateRq => AssociationEvent.AssociateRqReceived,
        PduType.AssociateAc => AssociationEvent.AssociateAcReceived,
        PduType.AssociateRj => AssociationEvent.AssociateRjReceived,
        PduType.PDataTf => AssociationEvent.PDataReceived,
        PduType.ReleaseRq => AssociationEvent.ReleaseRqReceived,
        PduType.ReleaseRp => AssociationEvent.ReleaseRpReceived,
        PduType.Abort => AssociationEvent.AbortReceived,
        _ => AssociationEvent.InvalidPduReceived,
    };

    // Sta13: wait (ARTIM) for the peer to close the connection, then close ours.
    private async Task AwaitCloseAsync()
    {
        using var artim = new CancellationTokenSource(_options.ArtimTimeout);
        try
        {
            var buffer = new byte[256];
            while (await _stream.ReadAsync(buffer, artim.Token).ConfigureAwait(false) > 0)
            {
                // AA-6: whatever arrives now is ignored
            }

            Apply(AssociationEvent.TransportClosed); // AR-5
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            Apply(AssociationEvent.ArtimExpired); // AA-2
        }

        CloseTransport();
    }
}
