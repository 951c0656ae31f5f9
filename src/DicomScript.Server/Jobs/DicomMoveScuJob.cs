using System.Text.Json.Nodes;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.Json;
using DicomScript.Server.Configuration;
using DicomScript.Server.Remote;
using DicomScript.Storage.Identifiers;

namespace DicomScript.Server.Jobs;

/// <summary>
/// Retrieves answers of a query (<c>/queries/{id}/retrieve</c>) by C-MOVE from the queried modality
/// to an AE title (Orthanc's DicomMoveScu job): one step per answer, each moved at the level its
/// QueryRetrieveLevel names. The content lists the answers by their identifying keys
/// (QueryRetrieveLevel, PatientID, AccessionNumber and the UIDs), short tags by default.
/// </summary>
public sealed class DicomMoveScuJob : Job
{
    public const string JobType = "DicomMoveScu";

    private static readonly DicomTag[] KeptKeys =
    [
        DicomTags.QueryRetrieveLevel, DicomTags.PatientID, DicomTags.StudyInstanceUID, DicomTags.SeriesInstanceUID,
        DicomTags.SOPInstanceUID, DicomTags.AccessionNumber,
    ];

    private readonly DicomScriptServer _archive;
    private readonly List<DicomDataset> _answers;
    private int _position;

    public DicomMoveScuJob(DicomScriptServer archive, DicomModality remote, string localAet, string targetAet, int? timeout,
        IEnumerable<DicomDataset> answers, OrthancTagFormat queryFormat, bool permissive, string description)
    {
        _archive = archive ?? throw new ArgumentNullException(nameof(archive));
        Remote = remote ?? throw new ArgumentNullException(nameof(remote));
        LocalAet = localAet;
        TargetAet = targetAet;
        Timeout = timeout;
        QueryFormat = queryFormat;
        Permissive = permissive;
        Description = description;
        _answers = [.. answers.Select(KeysOf)];
    }

    internal DicomMoveScuJob(DicomScriptServer archive, JsonObject saved)
    {
        _archive = archive;
        Remote = DicomModality.Parse(JobJson.String(saved, "RemoteName"), JobJson.Object(saved, "Remote"));
        LocalAet = JobJson.String(saved, "LocalAet");
        TargetAet = JobJson.String(saved, "TargetAet");
        Timeout = JobJson.OptionalInteger(saved, "Timeout");
        QueryFormat = Enum.Parse<OrthancTagFormat>(JobJson.String(saved, "QueryFormat"));
        Permissive = JobJson.Boolean(saved, "Permissive");
        Description = JobJson.String(saved, "Description");
        _position = JobJson.Integer(saved, "Position");
        _answers = [];
        foreach (var answer in JobJson.Items(saved, "Query"))
        {
            var keys = new DicomDataset();
            foreach (var (name, value) in answer!.AsObject())
            {
                var tag = DicomPath.ParseTag(name);
                keys.AddText(tag, DicomDictionary.Find(tag)?.DefaultVR ?? DicomVR.LO, value!.GetValue<string>());
            }
            _answers.Add(keys);
        }
    }

    public override string Type => JobType;

    public DicomModality Remote { get; }

    public string LocalAet { get; }

    public string TargetAet { get; }

    public int? Timeout { get; }

    public OrthancTagFormat QueryFormat { get; }

    public bool Permissive { get; }

    public string Description { get; }

    public override float Progress => _answers.Count == 0 ? 1 : (float)_position / _answers.Count;

    // Only the keys naming the resource are kept (and shown), without the character set.
    private static DicomDataset KeysOf(DicomDataset answer) =>
        new(KeptKeys.Select(answer.Get).OfType<DicomItem>());

    public override async Task<JobStepResult> StepAsync(string jobId, CancellationToken cancellationToken)
    {
        if (_answers.Count == 0)
            return JobStepResult.Success;
        var answer = _answers[_position];
        try
        {
            var level = ResourceLevels.Parse(answer.GetString(DicomTags.QueryRetrieveLevel)?.Trim() ?? "")
                ?? throw new JobException(OrthancError.InternalError, "An answer has no QueryRetrieveLevel");
            var identifier = RemoteMove.Identifier(level, answer) ?? throw new JobException(OrthancError.BadRequest, "");
            await RemoteMove.MoveAsync(_archive, Remote, LocalAet, Timeout, TargetAet, identifier, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or JobException)
        {
            if (!Permissive)
                return JobStepResult.Failure(ex is JobException job ? job.Error : OrthancError.NetworkProtocol, ex.Message);
        }

        _position++;
        return _position == _answers.Count ? JobStepResult.Success : JobStepResult.Continue;
    }

    public override void Reset() => _position = 0;

    public override JsonObject PublicContent() => new()
    {
        ["Description"] = Description,
        ["LocalAet"] = LocalAet,
        ["Query"] = Query(QueryFormat),
        ["RemoteAet"] = Remote.AET,
    };

    private JsonArray Query(OrthancTagFormat format) =>
        [.. _answers.Select(answer => JsonNode.Parse(OrthancJsonWriter.ToUtf8(answer, format)))];

    public override JsonObject Serialize() => new()
    {
        ["Type"] = Type,
        ["Description"] = Description,
        ["Permissive"] = Permissive,
        ["Position"] = _position,
        ["RemoteName"] = Remote.Name,
        ["Remote"] = Remote.ToJson(),
        ["LocalAet"] = LocalAet,
        ["TargetAet"] = TargetAet,
        ["Timeout"] = Timeout,
        ["QueryFormat"] = QueryFormat.ToString(),
        ["Query"] = Query(OrthancTagFormat.Short),
    };
}
