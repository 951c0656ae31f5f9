using System.Text.Json.Nodes;
using DicomScript.Server.Jobs;
using DicomScript.Storage.Index;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace DicomScript.Server.Tests.Jobs;

/// <summary>The jobs engine's states and transitions (as Orthanc's), priorities, history and its saved jobs across restarts.</summary>
[TestFixture]
[NonParallelizable]
public class JobsEngineTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private DirectoryInfo _folder = null!;
    private SqliteIndex _index = null!;
    private readonly List<JobsEngine> _engines = [];

    [SetUp]
    public void Open()
    {
        _folder = Directory.CreateTempSubdirectory("jobs-");
        _index = SqliteIndex.Open(_folder.FullName);
        ScriptedJob.Log.Clear();
    }

    [TearDown]
    public async Task Close()
    {
        foreach (var engine in _engines)
            await engine.DisposeAsync();
        _engines.Clear();
        _index.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }

    private JobsEngine Start(int workers = 1, int history = 10, bool save = true)
    {
        var engine = new JobsEngine(save ? _index : null, history, workers, NullLogger.Instance);
        engine.Start(saved => new ScriptedJob(saved));
        _engines.Add(engine);
        return engine;
    }

    private static async Task<JobInfo> WaitForStateAsync(JobsEngine engine, string id, JobState state)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            if (engine.Describe(id) is { } info && info.State == state)
                return info;
            await Task.Delay(10);
        }

        Assert.Fail($"job {id} did not reach {state}; it is {engine.Describe(id)?.State}");
        return null!;
    }

    [Test]
    public async Task SubmitAndWait_RunsEveryStep_AnswersTheContent()
    {
        var engine = Start();
        var outcome = await engine.SubmitAndWaitAsync(new ScriptedJob("a", 3)).WaitAsync(Patience);
        Assert.That(outcome.Succeeded, Is.True);
        Assert.That(outcome.Content["Done"]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(ScriptedJob.Log, Is.EqualTo(new[] { "a:0", "a:1", "a:2" }));
        var info = engine.Describe(outcome.Id)!;
        Assert.That((info.State, info.Progress, info.Error, info.Type), Is.EqualTo((JobState.Success, 1f, OrthancError.Success, ScriptedJob.JobType)));
        Assert.That(info.CompletionTime, Is.Not.Null);
    }

    [Test]
    public async Task Submit_IdsAreUuidsOrderedByTime()
    {
        var engine = Start();
        var first = engine.Submit(new ScriptedJob("a", 1));
        await Task.Delay(5);
        var second = engine.Submit(new ScriptedJob("b", 1));
        Assert.That((Guid.Parse(first).Version, Guid.Parse(second).Version), Is.EqualTo((7, 7)), "version 7: time first");
        Assert.That(string.CompareOrdinal(first, second), Is.Negative, "the saved jobs' keys grow: their rows go at the end of the table");
    }

    [Test]
    public async Task FailingStep_FailsTheJobWithItsCodeAndDetails()
    {
        var engine = Start();
        var outcome = await engine.SubmitAndWaitAsync(new ScriptedJob("a", 3) { FailAt = 1 }).WaitAsync(Patience);
        Assert.That((outcome.Succeeded, outcome.Error, outcome.ErrorDetails), Is.EqualTo((false, OrthancError.NetworkProtocol, "step 1 failed")));
        var info = engine.Describe(outcome.Id)!;
        Assert.That((info.State, info.Progress), Is.EqualTo((JobState.Failure, 1f / 3)));
    }

    [Test]
    public async Task ThrowingStep_FailsWithInternalError_AndTheWorkerGoesOn()
    {
        var engine = Start(workers: 1);
        var crashed = await engine.SubmitAndWaitAsync(new ScriptedJob("bug", 2) { ThrowAt = 0 }).WaitAsync(Patience);
        Assert.That((crashed.Succeeded, crashed.Error, crashed.ErrorDetails), Is.EqualTo((false, OrthancError.InternalError, "a bug in the job")));
        var next = await engine.SubmitAndWaitAsync(new ScriptedJob("next", 1)).WaitAsync(Patience);
        Assert.That(next.Succeeded, Is.True);
    }

    [Test]
    public async Task PendingJobs_RunByPriorityThenInOrder()
    {
        var engine = Start(workers: 1);
        var gate = new TaskCompletionSource();
        var blocker = new ScriptedJob("blocker", 1) { Hold = (0, gate) };
        engine.Submit(blocker);
        await blocker.Holding.Task.WaitAsync(Patience);
        var low = engine.Submit(new ScriptedJob("low", 1), priority: -1);
        var first = engine.Submit(new ScriptedJob("first", 1));
        var high = engine.Submit(new ScriptedJob("high", 1), priority: 5);
        var second = engine.Submit(new ScriptedJob("second", 1));
        Assert.That(engine.Describe(high)!.State, Is.EqualTo(JobState.Pending));
        gate.SetResult();
        await WaitForStateAsync(engine, low, JobState.Success);
        Assert.That(ScriptedJob.Log, Is.EqualTo(new[] { "blocker:0", "high:0", "first:0", "second:0", "low:0" }));
        Assert.That(engine.Describe(first)!.Priority, Is.Zero);
        Assert.That(engine.Describe(second)!.State, Is.EqualTo(JobState.Success));
    }

    [Test]
    public async Task PauseAndResume_PendingAndRunningJobs()
    {
        var engine = Start(workers: 1);
        var gate = new TaskCompletionSource();
        var running = new ScriptedJob("running", 3) { Hold = (1, gate) };
        var runningId = engine.Submit(running);
        await running.Holding.Task.WaitAsync(Patience);
        var pendingId = engine.Submit(new ScriptedJob("pending", 1));

        Assert.That(engine.Pause(pendingId), Is.True);
        Assert.That(engine.Describe(pendingId)!.State, Is.EqualTo(JobState.Paused));
        Assert.That(engine.Pause(runningId), Is.True);
        Assert.That(engine.Describe(runningId)!.State, Is.EqualTo(JobState.Running), "a running job pauses after its step");
        gate.SetResult();
        var paused = await WaitForStateAsync(engine, runningId, JobState.Paused);
        Assert.That(paused.Progress, Is.EqualTo(2f / 3));
        Assert.That(engine.Resume("unknown"), Is.False);
        Assert.That(engine.Resume(runningId), Is.True);
        Assert.That(engine.Resume(runningId), Is.False, "no longer paused");
        await WaitForStateAsync(engine, runningId, JobState.Success);
        Assert.That(engine.Describe(pendingId)!.State, Is.EqualTo(JobState.Paused), "still paused: never queued");
        Assert.That(engine.Resume(pendingId), Is.True);
        await WaitForStateAsync(engine, pendingId, JobState.Success);
        Assert.That(ScriptedJob.Log, Is.EqualTo(new[] { "running:0", "running:1", "running:2", "pending:0" }), "the paused job went on where it stopped");
    }

    [Test]
    public async Task Cancel_PendingPausedAndRunningJobs_FailWithCanceledJob()
    {
        var engine = Start(workers: 1);
        var failed = new List<string>();
        engine.JobFailed += id => { lock (failed) failed.Add(id); };
        var gate = new TaskCompletionSource();
        var running = new ScriptedJob("running", 3) { Hold = (0, gate) };
        var runningId = engine.Submit(running);
        await running.Holding.Task.WaitAsync(Patience);
        var pendingId = engine.Submit(new ScriptedJob("pending", 1));
        var pausedId = engine.Submit(new ScriptedJob("paused", 1));
        engine.Pause(pausedId);

        Assert.That(engine.Cancel(pendingId) && engine.Cancel(pausedId) && engine.Cancel(runningId), Is.True);
        Assert.That(engine.Cancel("unknown"), Is.False);
        gate.SetResult();
        var canceled = await WaitForStateAsync(engine, runningId, JobState.Failure);
        foreach (var id in new[] { pendingId, pausedId, runningId })
            Assert.That((engine.Describe(id)!.State, engine.Describe(id)!.Error), Is.EqualTo((JobState.Failure, OrthancError.CanceledJob)), id);
        Assert.That(canceled.Progress, Is.EqualTo(1f / 3), "the running job stopped after its step");
        Assert.That(ScriptedJob.Log, Is.EqualTo(new[] { "running:0" }));
        lock (failed)
            Assert.That(failed, Is.EquivalentTo(new[] { pendingId, pausedId, runningId }));
    }

    [Test]
    public async Task Resubmit_FailedJob_RunsAgainFromTheStart()
    {
        var engine = Start();
        var job = new ScriptedJob("a", 2) { FailAt = 1 };
        var first = await engine.SubmitAndWaitAsync(job).WaitAsync(Patience);
        Assert.That(first.Succeeded, Is.False);
        Assert.That(engine.Resubmit(first.Id), Is.True);
        var done = await WaitForStateAsync(engine, first.Id, JobState.Success);
        Assert.That(job.Resets, Is.EqualTo(1));
        Assert.That(done.Error, Is.EqualTo(OrthancError.Success));
        Assert.That(ScriptedJob.Log, Is.EqualTo(new[] { "a:0", "a:1", "a:0", "a:1" }));
        Assert.That(engine.Resubmit(first.Id), Is.False, "only a failed job can be resubmitted");
    }

    [Test]
    public async Task RetryStep_WaitsThenRunsTheJobAgain()
    {
        var engine = Start();
        var job = new ScriptedJob("a", 1) { RetriesLeft = 2 };
        var outcome = await engine.SubmitAndWaitAsync(job).WaitAsync(Patience);
        Assert.That(outcome.Succeeded, Is.True);
        Assert.That(ScriptedJob.Log, Is.EqualTo(new[] { "a:0", "a:0", "a:0" }));
    }

    [Test]
    public async Task History_KeepsTheLastFinishedJobs_AndForgetsTheirSavedState()
    {
        var engine = Start(history: 2);
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
            ids.Add((await engine.SubmitAndWaitAsync(new ScriptedJob($"j{i}", 1)).WaitAsync(Patience)).Id);
        Assert.That(engine.List(), Is.EquivalentTo(ids.Skip(2)));
        Assert.That(engine.Describe(ids[0]), Is.Null);
        Assert.That(_index.SavedJobs().Select(j => j.Id), Is.EquivalentTo(ids.Skip(2)));
    }

    [Test]
    public async Task Events_SubmittedThenSucceeded()
    {
        var engine = Start();
        var events = new List<string>();
        // A slow first subscriber gives the worker time to finish the job before the next one
        // hears of its submission, unless the announcement comes before the job can run.
        engine.JobSubmitted += _ => Thread.Sleep(50);
        engine.JobSubmitted += id => { lock (events) events.Add($"submitted {id}"); };
        using var succeeded = new SemaphoreSlim(0);
        engine.JobSucceeded += id =>
        {
            lock (events)
                events.Add($"success {id}");
            succeeded.Release();
        };
        for (var round = 0; round < 3; round++)
        {
            var outcome = await engine.SubmitAndWaitAsync(new ScriptedJob("a", 1)).WaitAsync(Patience);
            Assert.That(await succeeded.WaitAsync(Patience), Is.True, "the success event follows the completion, from the worker");
            lock (events)
            {
                Assert.That(events, Is.EqualTo(new[] { $"submitted {outcome.Id}", $"success {outcome.Id}" }), $"round {round}");
                events.Clear();
            }
        }
    }

    [Test]
    public async Task Restart_PendingAndRunningJobsResume_PausedAndFinishedAreKept()
    {
        var engine = Start(workers: 1);
        var finished = (await engine.SubmitAndWaitAsync(new ScriptedJob("finished", 1)).WaitAsync(Patience)).Id;
        var gate = new TaskCompletionSource();
        var running = new ScriptedJob("running", 4) { Hold = (2, gate) };
        var runningId = engine.Submit(running);
        await running.Holding.Task.WaitAsync(Patience);
        var pendingId = engine.Submit(new ScriptedJob("pending", 2), priority: 3);
        var pausedId = engine.Submit(new ScriptedJob("paused", 1));
        engine.Pause(pausedId);
        await engine.StopAsync(); // the held step is interrupted: it runs again after the restart
        _index.SaveJob("garbage", "{not json");

        ScriptedJob.Log.Clear();
        var restarted = Start(workers: 1);
        await WaitForStateAsync(restarted, runningId, JobState.Success);
        await WaitForStateAsync(restarted, pendingId, JobState.Success);
        Assert.That(ScriptedJob.Log, Is.EquivalentTo(new[] { "running:2", "running:3", "pending:0", "pending:1" }));
        Assert.That(restarted.Describe(pausedId)!.State, Is.EqualTo(JobState.Paused));
        var old = restarted.Describe(finished)!;
        Assert.That((old.State, old.Type, old.Content["Name"]!.GetValue<string>()), Is.EqualTo((JobState.Success, ScriptedJob.JobType, "finished")));
        Assert.That(restarted.Describe("garbage"), Is.Null);
        Assert.That(_index.SavedJobs().Select(j => j.Id), Does.Not.Contain("garbage"), "an unreadable saved job is dropped");
        Assert.That(restarted.List(), Is.EquivalentTo(new[] { finished, runningId, pendingId, pausedId }));
    }

    [Test]
    public async Task SaveJobsOff_NothingIsSaved()
    {
        var engine = Start(save: false);
        await engine.SubmitAndWaitAsync(new ScriptedJob("a", 1)).WaitAsync(Patience);
        Assert.That(_index.SavedJobs(), Is.Empty);
        Assert.That(engine.List(), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task SubmitAll_SavedInTheCallersTransactionBeforeRunning_AndResumedAfterARestart()
    {
        var engine = Start(workers: 1);
        var gate = new TaskCompletionSource();
        var blocker = new ScriptedJob("blocker", 1) { Hold = (0, gate) };
        engine.Submit(blocker);
        await blocker.Holding.Task.WaitAsync(Patience);

        var saved = new List<(string Id, string Content)>();
        var ids = engine.SubmitAll([new ScriptedJob("a", 1), new ScriptedJob("b", 2)], jobs =>
        {
            Assert.That(ScriptedJob.Log, Has.None.StartsWith("a:").And.None.StartsWith("b:"), "a job ran before it was saved");
            saved.AddRange(jobs);
            _index.SaveEventProgress(7, 3, jobs);
        });
        Assert.That(saved.Select(j => j.Id), Is.EqualTo(ids));
        Assert.That(_index.SavedJobs().Select(j => j.Id), Is.SupersetOf(ids));
        Assert.That((_index.GetGlobalProperty(GlobalProperty.LuaEventsDelivered), _index.GetGlobalProperty(GlobalProperty.LuaLoggedEventsDelivered)), Is.EqualTo(("7", "3")));
        Assert.That(ids.Select(id => engine.Describe(id)!.State), Is.All.EqualTo(JobState.Pending));
        await engine.StopAsync();

        ScriptedJob.Log.Clear();
        var restarted = Start(workers: 1);
        foreach (var id in ids)
            await WaitForStateAsync(restarted, id, JobState.Success);
        Assert.That(ScriptedJob.Log, Is.SupersetOf(new[] { "a:0", "b:0", "b:1" }));
    }

    [Test]
    public async Task SubmitAll_WithSaveJobsOff_GivesNothingToSave_AndRunsThem()
    {
        var engine = Start(save: false);
        IReadOnlyCollection<(string, string)>? given = null;
        var ids = engine.SubmitAll([new ScriptedJob("a", 1)], jobs => given = jobs);
        await WaitForStateAsync(engine, ids[0], JobState.Success);
        Assert.That(given, Is.Empty);
        Assert.That(_index.SavedJobs(), Is.Empty);
    }

    [Test]
    public void Describe_UnknownJob_IsNull() => Assert.That(Start().Describe("nope"), Is.Null);

    [Test]
    public async Task Statistics_CountsByState()
    {
        var engine = Start();
        await engine.SubmitAndWaitAsync(new ScriptedJob("ok", 1)).WaitAsync(Patience);
        await engine.SubmitAndWaitAsync(new ScriptedJob("bad", 1) { FailAt = 0 }).WaitAsync(Patience);
        Assert.That(engine.Statistics(), Is.EqualTo((0, 0, 1, 1)));
        Assert.That(JsonNode.Parse(_index.SavedJobs()[0].Content)!["Job"]!["Type"]!.GetValue<string>(), Is.EqualTo(ScriptedJob.JobType));
    }
}
