using System.Net;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using DicomScript.Network.Association;
using DicomScript.Network.Dimse;
using DicomScript.Network.Pdu;
using DicomScript.Network.Scu;
using Microsoft.Extensions.Logging;

namespace DicomScript.Network.Scp;

/// <summary>Serves the DIMSE-C requests of an association with the server's handlers.</summary>
internal sealed class RequestDispatcher
{
    private readonly HandlerSet _handlers;
    private readonly DicomServerOptions _options;
    private readonly ILogger _logger;

    public RequestDispatcher(HandlerSet handlers, DicomServerOptions options, ILogger logger)
    {
        _handlers = handlers;
        _options = options;
        _logger = logger;
    }

    public static AssociationInfo InfoOf(DicomAssociation association)
    {
        var endpoint = association.RemoteEndPoint as IPEndPoint;
        return new AssociationInfo(association.CallingAETitle, association.CalledAETitle, endpoint?.Address.ToString() ?? "", endpoint?.Port ?? 0);
    }

    public async Task HandleAsync(DicomAssociation association, DimseMessage request, CancellationToken cancellationToken)
    {
        var caller = InfoOf(association);
        // Each request is checked against the allow lists, not only its presentation context: storage
        // contexts are also accepted for the C-GET sub-operations a caller may receive, so a caller
        // allowed to C-GET but not to C-STORE can propose them.
        if (ServiceOf(request.Field) is { } service && _handlers.Policy?.AllowService(caller, service) == false)
        {
            await association.SendResponseAsync(request, DimseStatus.NotAuthorized, cancellationToken).ConfigureAwait(false);
            return;
        }

        switch (request.Field)
        {
            case CommandField.CEchoRq when _handlers.Echo is { } echo:
                await association.SendResponseAsync(request, await echo.EchoAsync(caller, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                break;
            case CommandField.CStoreRq when _handlers.Store is { } store:
                await association.SendResponseAsync(request, await StoreAsync(store, caller, request, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                break;
            case CommandField.CFindRq when _handlers.Find is { } find:
                await FindAsync(association, find, caller, request, cancellationToken).ConfigureAwait(false);
                break;
            case CommandField.CMoveRq when _handlers.Move is { } move:
                await MoveAsync(association, move, caller, request, cancellationToken).ConfigureAwait(false);
                break;
            case CommandField.CGetRq when _handlers.Get is { } get:
                await GetAsync(association, get, caller, request, cancellationToken).ConfigureAwait(false);
                break;
            default:
                await association.SendResponseAsync(request, DimseStatus.UnrecognizedOperation, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private static DicomService? ServiceOf(CommandField field) => field switch
    {
        CommandField.CEchoRq => DicomService.Echo,
        CommandField.CStoreRq => DicomService.Store,
        CommandField.CFindRq => DicomService.Find,
        CommandField.CMoveRq => DicomService.Move,
        CommandField.CGetRq => DicomService.Get,
        _ => null,
    };

    private static async Task<ushort> StoreAsync(ICStoreHandler store, AssociationInfo caller, DimseMessage request, CancellationToken cancellationToken)
    {
        if (request.DataSet is null)
            return DimseStatus.UnableToProcess;
        var originator = DimseCommands.GetUid(request.Command, DicomTags.MoveOriginatorApplicationEntityTitle);
        var originatorId = request.Command.Contains(DicomTags.MoveOriginatorMessageID)
            ? DimseCommands.GetUInt16(request.Command, DicomTags.MoveOriginatorMessageID)
            : (ushort?)null;
        try
        {
            return await store.StoreAsync(new CStoreRequest(caller, request.AffectedSopClassUid ?? "", request.AffectedSopInstanceUid ?? "", request.DataSet,
                originator, originatorId), cancellationToken).ConfigureAwait(false);
        }
        catch (DimseStatusException ex)
        {
            return ex.Status;
        }
    }

    private static async Task FindAsync(DicomAssociation association, ICFindHandler find, AssociationInfo caller, DimseMessage request, CancellationToken cancellationToken)
    {
        var identifier = ParseIdentifier(request);
        if (identifier is null)
        {
            await association.SendResponseAsync(request, DimseStatus.DataSetDoesNotMatchSopClass, CancellationToken.None).ConfigureAwait(false);
            return;
        }

        var context = association.Contexts[request.PresentationContextId];
        ushort status = DimseStatus.Success;
        try
        {
            // The answers at hand leave together (64 KB to a send); when the next one is not ready
            // yet, those written so far are flushed first, so that a slow search's answers arrive as
            // they are found (and a peer can cancel after the first).
            var answers = find.FindAsync(new QueryRequest(caller, request.AffectedSopClassUid ?? "", identifier), cancellationToken).GetAsyncEnumerator(cancellationToken);
            await using (answers.ConfigureAwait(false))
            {
                var unflushed = false;
                while (true)
                {
                    var next = answers.MoveNextAsync();
                    if (unflushed && !next.IsCompleted)
                    {
                        await association.FlushAsync(cancellationToken).ConfigureAwait(false);
                        unflushed = false;
                    }

                    if (!await next.ConfigureAwait(false))
                        break;
                    var pending = DimseCommands.Response(request.Command, DimseStatus.Pending, hasDataSet: true);
                    await association.SendAsync(request.PresentationContextId, pending, DicomWriter.Encode(answers.Current, context.TransferSyntax), flush: false, cancellationToken).ConfigureAwait(false);
                    unflushed = true;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            status = DimseStatus.Cancel; // C-CANCEL received
        }
        catch (DimseStatusException ex)
        {
            status = ex.Status;
        }

        await association.SendResponseAsync(request, status, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task MoveAsync(DicomAssociation association, ICMoveHandler move, AssociationInfo caller, DimseMessage request, CancellationToken cancellationToken)
    {
        var destinationTitle = DimseCommands.GetUid(request.Command, DicomTags.MoveDestination) ?? "";
        var destination = await move.ResolveDestinationAsync(destinationTitle, caller, cancellationToken).ConfigureAwait(false);
        if (destination is null)
        {
            await association.SendResponseAsync(request, DimseStatus.MoveDestinationUnknown, CancellationToken.None).ConfigureAwait(false);
            return;
        }

        var instances = await FindInstancesOrAnswerAsync(association, request, caller, move.FindInstancesAsync, cancellationToken).ConfigureAwait(false);
        if (instances is null)
            return;
        if (instances.Count > 0 && await move.HandOverAsync(instances, destination, association.CallingAETitle, request.MessageId, cancellationToken).ConfigureAwait(false))
        {
            await SendFinalAsync(association, request, DimseStatus.Success, new SubOperationCounts(0, instances.Count, 0, 0)).ConfigureAwait(false);
            return;
        }

        DicomAssociation? target = null;
        try
        {
            if (instances.Count > 0)
            {
                var rq = new AAssociateRq(destination.AETitle, _options.AETitle, StoreContexts.Propose(instances.Select(i => (i.SopClassUid, i.TransferSyntaxUid))),
                    new UserInformation { ImplementationClassUid = _options.Association.ImplementationClassUid, ImplementationVersionName = _options.Association.ImplementationVersionName });
                target = await DicomAssociation.ConnectAsync(destination.Host, destination.Port, rq, _options.Association, null, _logger, cancellationToken).ConfigureAwait(false);
            }

            await RunSubOperationsAsync(association, request, instances, target!, destination, association.CallingAETitle, request.MessageId, cancellationToken).ConfigureAwait(false);
        }
        catch (DicomNetworkException ex) when (target is null)
        {
            // The destination cannot be reached: every sub-operation fails.
            Log.HandlerFailed(_logger, ex, "C-MOVE", association.RemoteEndPoint?.ToString());
            await SendFinalAsync(association, request, DimseStatus.OutOfResourcesSubOperations, new SubOperationCounts(0, 0, instances.Count, 0)).ConfigureAwait(false);
        }
        finally
        {
            if (target is not null)
            {
                await target.ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
                await target.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task GetAsync(DicomAssociation association, ICGetHandler get, AssociationInfo caller, DimseMessage request, CancellationToken cancellationToken)
    {
        var instances = await FindInstancesOrAnswerAsync(association, request, caller, get.FindInstancesAsync, cancellationToken).ConfigureAwait(false);
        if (instances is not null)
        {
            var destination = new MoveDestination(caller.RemoteHost, caller.RemotePort, caller.CallingAETitle);
            await RunSubOperationsAsync(association, request, instances, association, destination, null, null, cancellationToken).ConfigureAwait(false);
        }
    }

    // The instances a C-MOVE/C-GET identifier matches; null when the request was answered with a
    // failure instead (an unreadable identifier, or the handler's status).
    private static async Task<IReadOnlyList<IOutgoingInstance>?> FindInstancesOrAnswerAsync(DicomAssociation association, DimseMessage request, AssociationInfo caller,
        Func<QueryRequest, CancellationToken, Task<IReadOnlyList<IOutgoingInstance>>> find, CancellationToken cancellationToken)
    {
        var identifier = ParseIdentifier(request);
        if (identifier is null)
        {
            await association.SendResponseAsync(request, DimseStatus.DataSetDoesNotMatchSopClass, CancellationToken.None).ConfigureAwait(false);
            return null;
        }

        try
        {
            return await find(new QueryRequest(caller, request.AffectedSopClassUid ?? "", identifier), cancellationToken).ConfigureAwait(false);
        }
        catch (DimseStatusException ex)
        {
            await association.SendResponseAsync(request, ex.Status, CancellationToken.None).ConfigureAwait(false);
            return null;
        }
    }

    // Sends each instance (C-STORE on 'target'), a pending response after each, then the final one.
    private async Task RunSubOperationsAsync(DicomAssociation association, DimseMessage request, IReadOnlyList<IOutgoingInstance> instances,
        DicomAssociation target, MoveDestination destination, string? moveOriginator, ushort? moveOriginatorId, CancellationToken cancellationToken)
    {
        int completed = 0, failed = 0, warning = 0;
        var cancelled = false;
        var timeout = TimeSpan.FromMinutes(5);
        foreach (var instance in instances)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                cancelled = true;
                break;
            }

            ushort status;
            var reason = "refused by the destination";
            try
            {
                var file = await instance.LoadAsync(destination, cancellationToken).ConfigureAwait(false);
                status = file is null
                    ? DimseStatus.Success // skipped by the archive's filter
                    : await InstanceSender.SendAsync(target, file, timeout, moveOriginator, moveOriginatorId, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                cancelled = true;
                break;
            }
            catch (Exception ex) when (ex is DicomNetworkException or DicomFormatException or IOException)
            {
                status = DimseStatus.ProcessingFailure;
                reason = ex.Message;
            }

            if (DimseStatus.IsSuccess(status))
            {
                completed++;
            }
            else if (DimseStatus.IsWarning(status))
            {
                warning++;
            }
            else
            {
                failed++;
                Log.SubOperationFailed(_logger, instance.SopInstanceUid, status, reason);
            }

            var remaining = instances.Count - completed - failed - warning;
            if (remaining > 0)
            {
                var pending = DimseCommands.WithSubOperations(DimseCommands.Response(request.Command, DimseStatus.Pending),
                    new SubOperationCounts(remaining, completed, failed, warning), includeRemaining: true);
                await association.SendAsync(request.PresentationContextId, pending, null, CancellationToken.None).ConfigureAwait(false);
            }
        }

        var counts = new SubOperationCounts(instances.Count - completed - failed - warning, completed, failed, warning);
        var final = cancelled ? DimseStatus.Cancel
            : failed + warning > 0 ? DimseStatus.SubOperationsCompleteWithFailures
            : DimseStatus.Success;
        await SendFinalAsync(association, request, final, counts).ConfigureAwait(false);
    }

    private static Task SendFinalAsync(DicomAssociation association, DimseMessage request, ushort status, SubOperationCounts counts)
    {
        var response = DimseCommands.WithSubOperations(DimseCommands.Response(request.Command, status), counts, includeRemaining: status == DimseStatus.Cancel);
        return association.SendAsync(request.PresentationContextId, response, null, CancellationToken.None);
    }

    private static DicomDataset? ParseIdentifier(DimseMessage request)
    {
        try
        {
            return request.DataSet?.Parse();
        }
        catch (DicomFormatException)
        {
            return null;
        }
    }
}
