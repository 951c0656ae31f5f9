using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DicomScript.Server.Jobs;

/// <summary>
/// The engine's record of one job: state, priority, times, last status and a snapshot of the job
/// taken whenever its worker is not inside a step, so it can be shown and saved while it runs.
/// Guarded by the engine's lock.
/// </summary>
internal sealed class JobHandler
{
    public JobHandler(string id, Job job, int priority, DateTime now)
    {
        Id = id;
        Job = job;
        Priority = priority;
        CreationTime = now;
        LastStateChange = now;
        TakeSnapshot();
    }

    public string Id { get; }

    public Job Job { get; }

    public int Priority { get; }

    public JobState State { get; private set; } = JobState.Pending;

    public DateTime CreationTime { get; private init; }

    public DateTime LastStateChange { get; private set; }

    public TimeSpan Runtime { get; private set; }

    public DateTime RetryTime { get; set; }

    public OrthancError Error { get; set; }

    public string ErrorDetails { get; set; } = "";

    public bool PauseScheduled { get; set; }

    public bool CancelScheduled { get; set; }

    /// <summary>Completed when the job ends in Success or Failure (for synchronous REST calls).</summary>
    public TaskCompletionSource<JobOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public float Progress { get; private set; }

    public JsonObject Content { get; private set; } = [];

    public JsonObject Saved { get; private set; } = [];

    /// <summary>Reads the job's progress, content and saved form; only when no step runs.</summary>
    public void TakeSnapshot()
    {
        Progress = Job.Progress;
        Content = Job.PublicContent();
        Saved = Job.Serialize();
    }

    public void SetState(JobState state, DateTime now)
    {
        Touch(now);
        State = state;
        PauseScheduled = false;
        CancelScheduled = false;
    }

    /// <summary>Counts the time spent running up to now (Orthanc's EffectiveRuntime).</summary>
    public void Touch(DateTime now)
    {
        if (State == JobState.Running)
            Runtime += now - LastStateChange;
        LastStateChange = now;
    }

    public void ResetRuntime() => Runtime = TimeSpan.Zero;

    public JobInfo Describe(DateTime now)
    {
        DateTime? eta = null;
        var runtime = State == JobState.Running ? Runtime + (now - LastStateChange) : Runtime;
        if (State == JobState.Running && Progress > 0.01f && runtime.TotalMilliseconds > 0.01)
            eta = now + runtime * ((1 - Progress) / Progress);
        var completed = State is JobState.Success or JobState.Failure ? LastStateChange : (DateTime?)null;
        return new JobInfo(Id, Job.Type, Priority, State, Error, ErrorDetails, Progress, Content.DeepClone().AsObject(), CreationTime, completed, eta, Runtime, now);
    }

    public JobOutcome Outcome() => new(Id, State == JobState.Success, Error, ErrorDetails, Content.DeepClone().AsObject());

    /// <summary>The saved form: the engine's fields around the job's own.</summary>
    public string Serialize()
    {
        // Written straight out, the job's snapshot not copied: a routing job is saved three times.
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("State", State.ToString());
            writer.WriteNumber("Priority", Priority);
            writer.WriteString("CreationTime", JobsEngine.FormatTime(CreationTime));
            writer.WriteString("LastChangeTime", JobsEngine.FormatTime(LastStateChange));
            writer.WriteNumber("Runtime", (long)Runtime.TotalMilliseconds);
            writer.WriteNumber("ErrorCode", (int)Error);
            writer.WriteString("ErrorDetails", ErrorDetails);
            writer.WritePropertyName("Job");
            Saved.WriteTo(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Rebuilds a saved handler; the job itself comes from <paramref name="createJob"/>.</summary>
    public static JobHandler Deserialize(string id, string content, Func<JsonObject, Job> createJob)
    {
        var json = JsonNode.Parse(content) as JsonObject ?? throw new FormatException("saved job: not a JSON object");
        var job = createJob(JobJson.Object(json, "Job"));
        var state = Enum.Parse<JobState>(JobJson.String(json, "State"));
        var handler = new JobHandler(id, job, JobJson.Integer(json, "Priority"), ParseTime(JobJson.String(json, "LastChangeTime")))
        {
            CreationTime = ParseTime(JobJson.String(json, "CreationTime")),
            State = state,
            Runtime = TimeSpan.FromMilliseconds(JobJson.Long(json, "Runtime")),
            Error = (OrthancError)JobJson.Integer(json, "ErrorCode"),
            ErrorDetails = JobJson.String(json, "ErrorDetails"),
        };
        return handler;
    }

    private static DateTime ParseTime(string text) =>
        DateTime.ParseExact(text, JobsEngine.TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
}
