using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using DicomScript.Server.Jobs;

namespace DicomScript.Server.Tests.Jobs;

/// <summary>
/// A job of a few steps whose behaviour the test sets: a step may fail, throw, ask for a retry,
/// or wait at a gate until the test opens it. Records which steps ran, in a log shared by all jobs.
/// </summary>
internal sealed class ScriptedJob : Job
{
    public const string JobType = "Scripted";

    private int _position;

    public ScriptedJob(string name, int steps)
    {
        Name = name;
        Steps = steps;
    }

    public ScriptedJob(JsonObject saved)
    {
        Name = saved["Name"]!.GetValue<string>();
        Steps = saved["Steps"]!.GetValue<int>();
        _position = saved["Position"]!.GetValue<int>();
    }

    public string Name { get; }

    public int Steps { get; }

    public static ConcurrentQueue<string> Log { get; } = new();

    /// <summary>When set, the step of this index waits until it is opened.</summary>
    public (int Step, TaskCompletionSource Gate)? Hold { get; set; }

    /// <summary>Signalled when a held step has started.</summary>
    public TaskCompletionSource Holding { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int? FailAt { get; set; }

    public int? ThrowAt { get; set; }

    public int RetriesLeft { get; set; }

    public int Resets { get; private set; }

    public override string Type => JobType;

    public override float Progress => (float)_position / Steps;

    public override async Task<JobStepResult> StepAsync(string jobId, CancellationToken cancellationToken)
    {
        var step = _position;
        Log.Enqueue($"{Name}:{step}");
        if (Hold is { } hold && hold.Step == step)
        {
            Holding.TrySetResult();
            await hold.Gate.Task.WaitAsync(cancellationToken);
        }

        if (ThrowAt == step)
            throw new InvalidOperationException("a bug in the job");
        if (FailAt == step)
        {
            FailAt = null; // fails once: a resubmission succeeds
            return JobStepResult.Failure(OrthancError.NetworkProtocol, $"step {step} failed");
        }

        if (RetriesLeft > 0)
        {
            RetriesLeft--;
            return JobStepResult.Retry(TimeSpan.FromMilliseconds(50));
        }

        _position++;
        return _position == Steps ? JobStepResult.Success : JobStepResult.Continue;
    }

    public override void Reset()
    {
        Resets++;
        _position = 0;
    }

    public override JsonObject PublicContent() => new() { ["Name"] = Name, ["Done"] = _position };

    public override JsonObject Serialize() => new() { ["Type"] = Type, ["Name"] = Name, ["Steps"] = Steps, ["Position"] = _position };
}
