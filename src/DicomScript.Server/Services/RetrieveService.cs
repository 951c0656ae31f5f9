using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.Json;
using DicomScript.Network.Dimse;
using DicomScript.Network.Scp;
using DicomScript.Network.Scu;
using DicomScript.Server.Configuration;
using DicomScript.Server.Scripting;
using DicomScript.Storage.Files;
using DicomScript.Storage.Identifiers;
using DicomScript.Storage.Index;

namespace DicomScript.Server.Services;

/// <summary>
/// C-MOVE and C-GET on the archive, choosing what to send as Orthanc 1.10.1 does: only the
/// identifier of the Query/Retrieve Level counts (PatientID; AccessionNumber when given, else
/// StudyInstanceUID; SeriesInstanceUID; SOPInstanceUID), as one value or a <c>\</c> list, matched
/// exactly; every instance below each match is sent. A C-MOVE without a level takes the deepest
/// identifier present (some modalities omit the level); a C-GET without one is refused. Other keys
/// are ignored. C-MOVE destinations are the DicomModalities entries, found by AE title; with
/// <c>SynchronousCMove</c> false a job sends to them after the C-MOVE is answered.
/// </summary>
public sealed class RetrieveService : ICMoveHandler, ICGetHandler
{
    private static readonly ResourceLevel[] DeepestFirst = [ResourceLevel.Instance, ResourceLevel.Series, ResourceLevel.Study, ResourceLevel.Patient];

    private readonly SqliteIndex _index;
    private readonly StorageArea _storage;
    private readonly OrthancConfiguration _configuration;
    private readonly ScriptHooks _hooks;

    public RetrieveService(SqliteIndex index, StorageArea storage, OrthancConfiguration configuration, ScriptHooks hooks)
    {
        _hooks = hooks ?? throw new ArgumentNullException(nameof(hooks));
        _index = index ?? throw new ArgumentNullException(nameof(index));
        _storage = storage ?? throw new ArgumentNullException(nameof(storage));
        _configuration = configuration ?? throw new ArgumentNullException(nameof(configuration));
    }

    Task<IReadOnlyList<IOutgoingInstance>> ICMoveHandler.FindInstancesAsync(QueryRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(FindInstances(request, "C-MOVE", guessLevel: true));

    Task<IReadOnlyList<IOutgoingInstance>> ICGetHandler.FindInstancesAsync(QueryRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(FindInstances(request, "C-GET", guessLevel: false));

    /// <summary>
    /// With <c>SynchronousCMove</c> false, queues a C-MOVE's instances (their IDs) for the named
    /// modality as a job, with the move originator (AE title, message ID); set by the archive.
    /// </summary>
    internal Action<DicomModality, IReadOnlyList<string>, string, ushort>? SubmitMoveJob { get; set; }

    // As Orthanc with SynchronousCMove false: a DicomModalityStore job does the sending, and the
    // C-MOVE is answered at once (the job is in /jobs, OnJobSuccess/OnJobFailure tell how it went).
    Task<bool> ICMoveHandler.HandOverAsync(IReadOnlyList<IOutgoingInstance> instances, MoveDestination destination, string originatorAETitle,
        ushort originatorMessageId, CancellationToken cancellationToken)
    {
        if (_configuration.SynchronousCMove || SubmitMoveJob is not { } submit
            || _configuration.ModalitiesWithAet(destination.AETitle).FirstOrDefault() is not { } modality)
        {
            return Task.FromResult(false);
        }

        submit(modality, [.. instances.Cast<StoredInstance>().Select(i => i.PublicId)], originatorAETitle, originatorMessageId);
        return Task.FromResult(true);
    }

    public Task<MoveDestination?> ResolveDestinationAsync(string destinationAETitle, AssociationInfo caller, CancellationToken cancellationToken)
    {
        var modality = _configuration.ModalitiesWithAet(destinationAETitle).FirstOrDefault();
        return Task.FromResult(modality is null ? null : new MoveDestination(modality.Host, modality.Port, modality.AET));
    }

    private IReadOnlyList<IOutgoingInstance> FindInstances(QueryRequest request, string service, bool guessLevel)
    {
        ArgumentNullException.ThrowIfNull(request);
        var identifier = request.Identifier;
        var levelText = OrthancTagsConverter.ValueOf(identifier, DicomTags.QueryRetrieveLevel);
        List<string>? resources;
        if (string.IsNullOrEmpty(levelText) && guessLevel)
        {
            resources = DeepestFirst.Select(level => Lookup(identifier, level)).FirstOrDefault(r => r is not null)
                        ?? throw Refuse($"{service}: neither a QueryRetrieveLevel nor an identifier in the request");
        }
        else
        {
            // Without a level (a C-GET), Parse refuses the request.
            resources = Lookup(identifier, QueryRetrieveLevels.Parse(levelText, service))
                        ?? throw Refuse($"{service}: no identifier of the level {levelText} in the request");
        }

        // Orthanc fails a retrieve that matches nothing rather than answering zero sub-operations.
        if (resources.Count == 0)
            throw Refuse($"{service}: the request matches no stored resource");
        return [.. resources.SelectMany(_index.InstanceSummariesOf).DistinctBy(i => i.PublicId).Select(i => new StoredInstance(i, this))];
    }

    // The resources the level's identifier names; null when the identifier is absent or empty.
    private List<string>? Lookup(DicomDataset identifier, ResourceLevel level)
    {
        var tag = level switch
        {
            ResourceLevel.Patient => DicomTags.PatientID,
            ResourceLevel.Study when !string.IsNullOrEmpty(OrthancTagsConverter.ValueOf(identifier, DicomTags.AccessionNumber)) => DicomTags.AccessionNumber,
            ResourceLevel.Study => DicomTags.StudyInstanceUID,
            ResourceLevel.Series => DicomTags.SeriesInstanceUID,
            _ => DicomTags.SOPInstanceUID,
        };
        var value = OrthancTagsConverter.ValueOf(identifier, tag);
        if (string.IsNullOrEmpty(value))
            return null;
        return [.. value.Split('\\').SelectMany(v => _index.LookupIdentifier(level, tag, v)).Distinct()];
    }

    private static DimseStatusException Refuse(string message) => new(DimseStatus.UnableToProcess, message);

    // Read when its sub-operation comes, so a large retrieve never holds more than one file; null
    // when OutgoingCStoreInstanceFilter keeps it from the destination (a failing filter fails it).
    private sealed class StoredInstance(InstanceSummary summary, RetrieveService owner) : IOutgoingInstance
    {
        public string PublicId => summary.PublicId;

        public string SopClassUid => summary.SopClassUid;

        public string SopInstanceUid => summary.SopInstanceUid;

        public string TransferSyntaxUid => summary.TransferSyntaxUid;

        public Task<FileToSend?> LoadAsync(MoveDestination destination, CancellationToken cancellationToken)
        {
            if (summary.FileUuid is null)
                throw new IOException($"instance {summary.PublicId} has no DICOM file");
            var stored = FileToSend.Parse(owner._storage.Read(summary.FileUuid));
            try
            {
                return Task.FromResult(owner._hooks.MaySend(stored.File, destination.AETitle, destination.Host) ? stored : null);
            }
            catch (ScriptException ex)
            {
                throw new IOException($"OutgoingCStoreInstanceFilter: {ex.Message}", ex);
            }
        }
    }
}
