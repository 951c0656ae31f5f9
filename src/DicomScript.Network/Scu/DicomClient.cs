using System.Runtime.CompilerServices;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using DicomScript.Network.Association;
using DicomScript.Network.Dimse;
using DicomScript.Network.Pdu;
using DicomScript.Network.Scp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DicomScript.Network.Scu;

/// <summary>
/// The SCU: C-ECHO, C-STORE (many instances over one association), C-FIND (streamed, cancellable),
/// C-MOVE and C-GET. Each call opens an association, does its work and releases it.
/// </summary>
public sealed class DicomClient
{
    private readonly DicomClientOptions _options;
    private readonly ILogger _logger;

    public DicomClient(DicomClientOptions options, ILogger? logger = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = logger ?? NullLogger.Instance;
    }

    public async Task<ushort> EchoAsync(CancellationToken cancellationToken = default)
    {
        await using var association = await ConnectAsync([new PresentationContextRq(1, SopClasses.Verification, StoreContexts.UncompressedPreference)],
            null, null, cancellationToken).ConfigureAwait(false);
        var context = association.FindContext(SopClasses.Verification)
                      ?? throw new DicomNetworkException(NetworkError.NoPresentationContext, "the peer does not accept Verification");
        var status = await SingleResponseAsync(association, context.Id, DimseCommands.Request(CommandField.CEchoRq, 0, SopClasses.Verification, hasDataSet: false),
            null, cancellationToken).ConfigureAwait(false);
        await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
        return status;
    }

    /// <summary>Stores the files over one association; the status of each, in order (0x0122 when no context fits one).</summary>
    public async Task<IReadOnlyList<ushort>> StoreAsync(IReadOnlyList<DicomFile> files, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        await using var session = await OpenStoreSessionAsync(files.Select(f => (SopClassOf(f), f.TransferSyntax.Uid)), cancellationToken).ConfigureAwait(false);
        var statuses = new List<ushort>(files.Count);
        foreach (var file in files)
            statuses.Add(await session.SendAsync(new FileToSend(file), cancellationToken: cancellationToken).ConfigureAwait(false));
        await session.ReleaseAsync(cancellationToken).ConfigureAwait(false);
        return statuses;
    }

    /// <summary>Opens an association proposing contexts for instances of the given kinds, kept open for C-STOREs one at a time.</summary>
    public async Task<StoreSession> OpenStoreSessionAsync(IEnumerable<(string SopClassUid, string TransferSyntaxUid)> instances,
        CancellationToken cancellationToken = default)
    {
        var association = await ConnectAsync(StoreContexts.Propose(instances), null, null, cancellationToken).ConfigureAwait(false);
        return new StoreSession(association, _options.ResponseTimeout);
    }

    /// <summary>
    /// Stores files from disk over one association: headers are read first to propose the contexts,
    /// then each file is read just before it is sent, so memory holds one instance at a time. A file
    /// whose syntax the peer accepts goes as it is on disk.
    /// </summary>
    public async Task<IReadOnlyList<ushort>> StoreAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var headers = paths.Select(DicomFile.OpenHeader).ToList();
        await using var session = await OpenStoreSessionAsync(headers.Select(h => (SopClassOf(h), h.TransferSyntax.Uid)), cancellationToken).ConfigureAwait(false);
        var statuses = new List<ushort>(paths.Count);
        foreach (var path in paths)
        {
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            statuses.Add(await session.SendAsync(FileToSend.Parse(bytes), cancellationToken: cancellationToken).ConfigureAwait(false));
        }

        await session.ReleaseAsync(cancellationToken).ConfigureAwait(false);
        return statuses;
    }

    /// <summary>
    /// C-FIND: yields each match as it arrives. Stopping the enumeration early sends C-CANCEL and
    /// waits for the peer's final response before releasing.
    /// </summary>
    public async IAsyncEnumerable<DicomDataset> FindAsync(string sopClassUid, DicomDataset identifier,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var association = await ConnectAsync([new PresentationContextRq(1, sopClassUid, StoreContexts.UncompressedPreference)],
            null, null, cancellationToken).ConfigureAwait(false);
        var context = association.FindContext(sopClassUid) ?? throw new DicomNetworkException(NetworkError.NoPresentationContext, $"the peer does not accept {sopClassUid}");
        var command = DimseCommands.Request(CommandField.CFindRq, 0, sopClassUid, hasDataSet: true);
        var finished = false;
        await using (var responses = association.RequestAsync(context.Id, command, DicomWriter.Encode(identifier, context.TransferSyntax), _options.ResponseTimeout, cancellationToken)
                         .GetAsyncEnumerator(cancellationToken))
        {
            try
            {
                while (await responses.MoveNextAsync().ConfigureAwait(false))
                {
                    using var response = responses.Current;
                    if (!DimseStatus.IsPending(response.Status))
                    {
                        finished = true;
                        if (DimseStatus.IsFailure(response.Status))
                            throw new DicomNetworkException(NetworkError.MalformedMessage, $"C-FIND failed with status 0x{response.Status:x4}");
                        break;
                    }

                    if (response.DataSet is { } data)
                        yield return data.Parse();
                }
            }
            finally
            {
                if (!finished && association.State == AssociationState.Established)
                {
                    await association.CancelAsync(context.Id, DimseCommands.GetUInt16(command, DicomTags.MessageID), CancellationToken.None).ConfigureAwait(false);
                    while (await responses.MoveNextAsync().ConfigureAwait(false))
                        responses.Current.Dispose(); // drain until the final (cancel) response
                }
            }
        }

        await association.ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>C-MOVE to <paramref name="destinationAETitle"/>, reporting the pending counts.</summary>
    public async Task<RetrieveResult> MoveAsync(string sopClassUid, string destinationAETitle, DicomDataset identifier,
        IProgress<SubOperationCounts>? progress = null, CancellationToken cancellationToken = default)
    {
        await using var association = await ConnectAsync([new PresentationContextRq(1, sopClassUid, StoreContexts.UncompressedPreference)],
            null, null, cancellationToken).ConfigureAwait(false);
        var context = association.FindContext(sopClassUid) ?? throw new DicomNetworkException(NetworkError.NoPresentationContext, $"the peer does not accept {sopClassUid}");
        var command = DimseCommands.Request(CommandField.CMoveRq, 0, sopClassUid, hasDataSet: true)
            .AddString(DicomTags.MoveDestination, DicomVR.AE, destinationAETitle);
        var result = await RetrieveAsync(association, context, command, identifier, progress, cancellationToken).ConfigureAwait(false);
        await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// C-GET: the peer sends the matches back over the same association; each arrives at
    /// <paramref name="onInstance"/>, whose status is the peer's sub-operation result.
    /// </summary>
    public async Task<RetrieveResult> GetAsync(string sopClassUid, DicomDataset identifier, IReadOnlyCollection<(string SopClassUid, string TransferSyntaxUid)> acceptedStorage,
        Func<CStoreRequest, Task<ushort>> onInstance, IProgress<SubOperationCounts>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(acceptedStorage);
        ArgumentNullException.ThrowIfNull(onInstance);
        var contexts = new List<PresentationContextRq> { new(1, sopClassUid, StoreContexts.UncompressedPreference) };
        foreach (var storage in StoreContexts.Propose(acceptedStorage))
            contexts.Add(storage with { Id = (byte)(contexts.Count * 2 + 1) });
        var roles = acceptedStorage.Select(s => s.SopClassUid).Distinct().Select(uid => new RoleSelection(uid, ScuRole: false, ScpRole: true)).ToList();

        async Task StoreHandler(DicomAssociation a, DimseMessage request, CancellationToken ct)
        {
            if (request.Field != CommandField.CStoreRq || request.DataSet is null)
            {
                await a.SendResponseAsync(request, DimseStatus.UnrecognizedOperation, ct).ConfigureAwait(false);
                return;
            }

            var caller = new AssociationInfo(a.CallingAETitle, a.CalledAETitle, _options.Host, _options.Port);
            var status = await onInstance(new CStoreRequest(caller, request.AffectedSopClassUid ?? "", request.AffectedSopInstanceUid ?? "", request.DataSet, null, null)).ConfigureAwait(false);
            await a.SendResponseAsync(request, status, ct).ConfigureAwait(false);
        }

        await using var association = await ConnectAsync(contexts, roles, StoreHandler, cancellationToken).ConfigureAwait(false);
        var context = association.FindContext(sopClassUid) ?? throw new DicomNetworkException(NetworkError.NoPresentationContext, $"the peer does not accept {sopClassUid}");
        var command = DimseCommands.Request(CommandField.CGetRq, 0, sopClassUid, hasDataSet: true);
        var result = await RetrieveAsync(association, context, command, identifier, progress, cancellationToken).ConfigureAwait(false);
        await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    private static async Task<RetrieveResult> RetrieveAsync(DicomAssociation association, AcceptedContext context, DicomDataset command, DicomDataset identifier,
        IProgress<SubOperationCounts>? progress, CancellationToken cancellationToken)
    {
        var result = new RetrieveResult(DimseStatus.ProcessingFailure, default);
        await foreach (var response in association.RequestAsync(context.Id, command, DicomWriter.Encode(identifier, context.TransferSyntax), TimeSpan.Zero, cancellationToken).ConfigureAwait(false))
        {
            using (response)
            {
                var counts = new SubOperationCounts(
                    DimseCommands.GetUInt16(response.Command, DicomTags.NumberOfRemainingSuboperations),
                    DimseCommands.GetUInt16(response.Command, DicomTags.NumberOfCompletedSuboperations),
                    DimseCommands.GetUInt16(response.Command, DicomTags.NumberOfFailedSuboperations),
                    DimseCommands.GetUInt16(response.Command, DicomTags.NumberOfWarningSuboperations));
                if (DimseStatus.IsPending(response.Status))
                    progress?.Report(counts);
                result = new RetrieveResult(response.Status, counts);
            }
        }

        return result;
    }

    private async Task<ushort> SingleResponseAsync(DicomAssociation association, byte contextId, DicomDataset command, ReadOnlyMemory<byte>? data,
        CancellationToken cancellationToken)
    {
        ushort status = DimseStatus.ProcessingFailure;
        await foreach (var response in association.RequestAsync(contextId, command, data, _options.ResponseTimeout, cancellationToken).ConfigureAwait(false))
        {
            using (response)
                status = response.Status;
        }

        return status;
    }

    private Task<DicomAssociation> ConnectAsync(IReadOnlyList<PresentationContextRq> contexts, IReadOnlyList<RoleSelection>? roles,
        DimseRequestHandler? handler, CancellationToken cancellationToken)
    {
        var request = new AAssociateRq(_options.CalledAETitle, _options.CallingAETitle, contexts, new UserInformation
        {
            ImplementationClassUid = _options.Association.ImplementationClassUid,
            ImplementationVersionName = _options.Association.ImplementationVersionName,
            RoleSelections = roles ?? [],
        });
        return DicomAssociation.ConnectAsync(_options.Host, _options.Port, request, _options.Association, handler, _logger, cancellationToken);
    }


    private static string SopClassOf(DicomFile file) =>
        file.Dataset.GetString(DicomTags.SOPClassUID) ?? file.Meta.GetString(DicomTags.MediaStorageSOPClassUID) ?? "";
}
