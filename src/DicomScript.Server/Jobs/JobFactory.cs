using System.Text.Json.Nodes;

namespace DicomScript.Server.Jobs;

/// <summary>Rebuilds saved jobs by their Type (for the engine's reload at start).</summary>
internal static class JobFactory
{
    public static Job Create(DicomScriptServer archive, JsonObject saved) => JobJson.String(saved, "Type") switch
    {
        DicomModalityStoreJob.JobType => new DicomModalityStoreJob(archive, saved),
        OrthancPeerStoreJob.JobType => new OrthancPeerStoreJob(archive, saved),
        ResourceModificationJob.JobType => new ResourceModificationJob(archive, saved),
        DicomMoveScuJob.JobType => new DicomMoveScuJob(archive, saved),
        SequenceOfOperationsJob.JobType => new SequenceOfOperationsJob(archive, saved),
        var other => throw new FormatException($"saved job of unknown type \"{other}\""),
    };
}
