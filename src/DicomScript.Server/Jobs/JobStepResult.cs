namespace DicomScript.Server.Jobs;

public enum JobStepOutcome
{
    Continue,
    Success,
    Failure,
    Retry,
}

/// <summary>What one step of a job came to: go on, done, failed (with Orthanc's code and details), or retry later.</summary>
public readonly record struct JobStepResult(JobStepOutcome Outcome, OrthancError Error, string Details, TimeSpan RetryAfter)
{
    public static JobStepResult Continue => new(JobStepOutcome.Continue, OrthancError.Success, "", TimeSpan.Zero);

    public static JobStepResult Success => new(JobStepOutcome.Success, OrthancError.Success, "", TimeSpan.Zero);

    public static JobStepResult Failure(OrthancError error, string details) => new(JobStepOutcome.Failure, error, details, TimeSpan.Zero);

    public static JobStepResult Retry(TimeSpan after) => new(JobStepOutcome.Retry, OrthancError.Success, "", after);
}

/// <summary>Thrown by a step that fails: the job fails with this code, the message becomes its ErrorDetails.</summary>
public sealed class JobException(OrthancError error, string message) : Exception(message)
{
    public OrthancError Error { get; } = error;
}
