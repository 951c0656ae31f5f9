using System.Text.Json.Nodes;

namespace DicomScript.Server.Jobs;

/// <summary>What <c>/jobs/{id}</c> shows of a job at one moment (times in UTC).</summary>
public sealed record JobInfo(
    string Id,
    string Type,
    int Priority,
    JobState State,
    OrthancError Error,
    string ErrorDetails,
    float Progress,
    JsonObject Content,
    DateTime CreationTime,
    DateTime? CompletionTime,
    DateTime? EstimatedTimeOfArrival,
    TimeSpan EffectiveRuntime,
    DateTime Timestamp);

/// <summary>How a job submitted with <see cref="JobsEngine.SubmitAndWaitAsync"/> ended.</summary>
public sealed record JobOutcome(string Id, bool Succeeded, OrthancError Error, string ErrorDetails, JsonObject Content);
