namespace DicomScript.Server.Jobs;

/// <summary>A job's state, named as Orthanc names it in <c>/jobs</c>.</summary>
public enum JobState
{
    Pending,
    Running,
    Success,
    Failure,
    Paused,
    Retry,
}

/// <summary>Why a job leaves its worker (it then releases what it holds, e.g. an association).</summary>
public enum JobStopReason
{
    Success,
    Failure,
    Paused,
    Canceled,
    Retry,

    /// <summary>The server is stopping; the job resumes at its next start.</summary>
    Shutdown,
}
