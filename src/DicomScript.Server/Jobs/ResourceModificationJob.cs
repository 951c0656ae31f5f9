using System.Text.Json.Nodes;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.IO;
using DicomScript.Server.Ingest;
using DicomScript.Server.Modification;
using DicomScript.Storage.Identifiers;
using DicomScript.Storage.Index;

namespace DicomScript.Server.Jobs;

/// <summary>
/// Modifies or anonymizes a set of instances and stores the results (Orthanc's
/// ResourceModification job): each new instance records where it came from (ModifiedFrom or
/// AnonymizedFrom, on the instance and on each parent whose ID changed), and unless KeepSource
/// the originals are deleted at the end. For one resource the job's content names the new
/// resource at its level (ID, Path, PatientID, Type); for a bulk request, every new resource.
/// </summary>
public sealed class ResourceModificationJob : SetOfInstancesJob
{
    public const string JobType = "ResourceModification";

    private readonly DicomScriptServer _archive;
    private readonly SortedSet<string>[] _outputs = [[], [], [], []];
    private (string Resource, string Patient)? _firstOutput;

    /// <summary>A job modifying <paramref name="instances"/>; <paramref name="outputLevel"/> is the level of the single resource modified, null for a bulk request.</summary>
    public ResourceModificationJob(DicomScriptServer archive, DicomModification modification, bool isAnonymization, ResourceLevel? outputLevel,
        IEnumerable<string> instances, InstanceOrigin origin, bool keepSource, bool permissive, string description)
        : base(description, instances, [], permissive)
    {
        _archive = archive ?? throw new ArgumentNullException(nameof(archive));
        Modification = modification ?? throw new ArgumentNullException(nameof(modification));
        IsAnonymization = isAnonymization;
        OutputLevel = outputLevel;
        Origin = origin ?? throw new ArgumentNullException(nameof(origin));
        KeepSource = keepSource;
    }

    internal ResourceModificationJob(DicomScriptServer archive, JsonObject saved)
        : base(saved)
    {
        _archive = archive;
        Modification = DicomModification.Deserialize(JobJson.Object(saved, "Modification"));
        IsAnonymization = JobJson.Boolean(saved, "IsAnonymization");
        OutputLevel = JobJson.OptionalString(saved, "OutputLevel") is { } outputLevel ? Enum.Parse<ResourceLevel>(outputLevel) : null;
        KeepSource = JobJson.Boolean(saved, "KeepSource");
        Transcode = JobJson.OptionalString(saved, "Transcode") is { } uid ? DicomTransferSyntax.FromUid(uid) : null;
        var origin = JobJson.Object(saved, "Origin");
        Origin = new InstanceOrigin(JobJson.String(origin, "RequestOrigin"), JobJson.OptionalString(origin, "RemoteIp"),
            JobJson.OptionalString(origin, "RemoteAet"), JobJson.OptionalString(origin, "CalledAet"), JobJson.OptionalString(origin, "Username"));
        var outputs = JobJson.Object(saved, "Outputs");
        foreach (var level in Enum.GetValues<ResourceLevel>())
            _outputs[(int)level].UnionWith(JobJson.Strings(outputs, level.ToString()));
        if (JobJson.OptionalString(saved, "FirstOutput") is { } first)
            _firstOutput = (first, JobJson.String(saved, "FirstOutputPatient"));
    }

    public override string Type => JobType;

    public DicomModification Modification { get; }

    public bool IsAnonymization { get; }

    public ResourceLevel? OutputLevel { get; }

    public InstanceOrigin Origin { get; }

    public bool KeepSource { get; }

    /// <summary>The transfer syntax to write the new instances in (when no codec is needed; else they keep theirs).</summary>
    public DicomTransferSyntax? Transcode { get; init; }

    protected override bool HasTrailingStep => true;

    protected override async Task<bool> HandleInstanceAsync(string instanceId, CancellationToken cancellationToken)
    {
        (DicomFile File, OrthancIdentifiers Source)? modified;
        try
        {
            modified = _archive.Modifier.Modify(instanceId, Modification);
        }
        catch (ModificationException ex)
        {
            throw new JobException(ex.Error, ex.Message);
        }

        if (modified is not var (file, original))
            return false; // deleted since the job was made

        // Each parent that changed remembers its source, as does the instance.
        var metadataType = (int)(IsAnonymization ? MetadataType.AnonymizedFrom : MetadataType.ModifiedFrom);
        var modifiedIds = OrthancIdentifiers.FromDataset(file.Dataset);
        var levelMetadata = new Dictionary<ResourceLevel, IReadOnlyDictionary<int, string>>
        {
            [ResourceLevel.Instance] = new Dictionary<int, string> { [metadataType] = instanceId },
        };
        foreach (var level in new[] { ResourceLevel.Patient, ResourceLevel.Study, ResourceLevel.Series })
        {
            if (original.HashOf(level) != modifiedIds.HashOf(level))
                levelMetadata[level] = new Dictionary<int, string> { [metadataType] = original.HashOf(level) };
        }

        var bytes = Transcode is null ? DicomWriter.ToBytes(file) : Transcoding.TryWrite(file, Transcode) ?? DicomWriter.ToBytes(file);
        var result = await _archive.Ingest.IngestAsync(bytes, Origin, levelMetadata, cancellationToken).ConfigureAwait(false);
        if (result.Status != IngestStatus.Success)
            throw new JobException(OrthancError.CannotStoreInstance, "Error while storing a modified instance " + instanceId);
        foreach (var level in Enum.GetValues<ResourceLevel>())
            _outputs[(int)level].Add(result.Identifiers.HashOf(level));
        if (OutputLevel is { } outputLevel)
            _firstOutput ??= (result.Identifiers.HashOf(outputLevel), result.Identifiers.PatientHash);
        return true;
    }

    // The originals go only once every modified instance is stored.
    protected override Task TrailingStepAsync(CancellationToken cancellationToken)
    {
        if (!KeepSource)
        {
            foreach (var instance in Instances)
                _archive.Delete(instance);
        }

        return Task.CompletedTask;
    }

    public override void Reset()
    {
        base.Reset();
        foreach (var output in _outputs)
            output.Clear();
        _firstOutput = null;
    }

    public override JsonObject PublicContent()
    {
        var content = base.PublicContent();
        content["IsAnonymization"] = IsAnonymization;
        if (Transcode is not null)
            content["Transcode"] = Transcode.Uid;
        if (OutputLevel is { } level)
        {
            // Orthanc names the first instance's new resource (all instances share it).
            if (_firstOutput is { } first)
            {
                Describe(content, level, first.Resource);
                content["PatientID"] = first.Patient;
            }
        }
        else
        {
            var resources = new JsonArray();
            foreach (var resourceLevel in new[] { ResourceLevel.Instance, ResourceLevel.Series, ResourceLevel.Study, ResourceLevel.Patient })
            {
                foreach (var id in _outputs[(int)resourceLevel])
                {
                    var item = new JsonObject();
                    Describe(item, resourceLevel, id);
                    resources.Add(item);
                }
            }

            content["Resources"] = resources;
        }

        return content;
    }

    private static void Describe(JsonObject target, ResourceLevel level, string id)
    {
        target["ID"] = id;
        target["Path"] = ResourceLevels.PathOf(level, id);
        target["Type"] = level.ToString();
    }

    public override JsonObject Serialize()
    {
        var saved = base.Serialize();
        saved["Modification"] = Modification.Serialize();
        saved["IsAnonymization"] = IsAnonymization;
        saved["OutputLevel"] = OutputLevel?.ToString();
        saved["KeepSource"] = KeepSource;
        saved["Transcode"] = Transcode?.Uid;
        saved["Origin"] = new JsonObject
        {
            ["RequestOrigin"] = Origin.RequestOrigin,
            ["RemoteIp"] = Origin.RemoteIp,
            ["RemoteAet"] = Origin.RemoteAet,
            ["CalledAet"] = Origin.CalledAet,
            ["Username"] = Origin.Username,
        };
        var outputs = new JsonObject();
        foreach (var level in Enum.GetValues<ResourceLevel>())
            outputs[level.ToString()] = JobJson.Array(_outputs[(int)level]);
        saved["Outputs"] = outputs;
        saved["FirstOutput"] = _firstOutput?.Resource;
        saved["FirstOutputPatient"] = _firstOutput?.Patient;
        return saved;
    }
}
