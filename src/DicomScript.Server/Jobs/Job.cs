using System.Text.Json.Nodes;

namespace DicomScript.Server.Jobs;

/// <summary>
/// A unit of background work run by the <see cref="JobsEngine"/> step by step (one instance sent,
/// one resource modified...). Between steps the engine honours pause and cancel requests and saves
/// the job, so a job must be able to serialize itself and to go on from a deserialized state.
/// Only the worker running the job calls it; the engine reads snapshots otherwise.
/// </summary>
public abstract class Job
{
    /// <summary>Orthanc's job type (DicomModalityStore, ResourceModification...).</summary>
    public abstract string Type { get; }

    /// <summary>How far the job is, 0 to 1.</summary>
    public abstract float Progress { get; }

    public abstract Task<JobStepResult> StepAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Back to the first step, before a failed job is resubmitted.</summary>
    public abstract void Reset();

    /// <summary>The job leaves its worker: release connections and the like.</summary>
    public virtual ValueTask StopAsync(JobStopReason reason) => ValueTask.CompletedTask;

    /// <summary>What <c>/jobs/{id}</c> shows as Content (and a synchronous REST call answers).</summary>
    public abstract JsonObject PublicContent();

    /// <summary>Everything needed to rebuild the job (see <see cref="JobFactory"/>), with its Type.</summary>
    public abstract JsonObject Serialize();
}
