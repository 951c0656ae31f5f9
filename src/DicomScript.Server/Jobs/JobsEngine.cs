using System.Text.Json.Nodes;
using DicomScript.Storage.Index;
using Microsoft.Extensions.Logging;

namespace DicomScript.Server.Jobs;

/// <summary>
/// Orthanc's jobs engine: jobs wait in a queue (highest Priority first, then in order of
/// submission) until one of <c>ConcurrentJobs</c> workers runs them step by step; they can be
/// paused, resumed, canceled and (when failed) resubmitted; the last <c>JobsHistorySize</c>
/// finished ones stay listed. With <c>SaveJobs</c>, every change of a job a restart needs (its
/// submission, each step it reaches, a pause, its end) is written to the index within 20 ms, with
/// the next commit (Orthanc saves every 10 s and at exit), so a job survives the process being
/// killed: at the next start a job that was pending or running resumes at the step it had reached
/// (the step in progress runs again), a paused one stays paused, finished ones are listed again.
/// </summary>
public sealed partial class JobsEngine : IAsyncDisposable
{
    internal const string TimeFormat = "yyyyMMdd'T'HHmmss.ffffff";

    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(200);

    private readonly object _lock = new();
    private readonly Dictionary<string, JobHandler> _jobs = new(StringComparer.Ordinal);
    private readonly PriorityQueue<JobHandler, (int NegatedPriority, long Order)> _pending = new();
    private readonly LinkedList<JobHandler> _completed = new();
    private readonly HashSet<JobHandler> _retrying = [];
    private readonly SemaphoreSlim _available = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _workers = [];
    private readonly SqliteIndex? _store;
    private readonly int _historySize;
    private readonly int _workerCount;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private long _order;

    /// <param name="store">Where jobs are saved; null when SaveJobs is off.</param>
    /// <param name="historySize">JobsHistorySize: how many finished jobs stay listed.</param>
    /// <param name="workerCount">ConcurrentJobs; 0 means one per processor.</param>
    /// <param name="logger">Where submissions, ends and failures are logged.</param>
    /// <param name="clock">The time source (tests pass a fake one).</param>
    public JobsEngine(SqliteIndex? store, int historySize, int workerCount, ILogger logger, TimeProvider? clock = null)
    {
        _store = store;
        _historySize = Math.Max(0, historySize);
        _workerCount = workerCount > 0 ? workerCount : Environment.ProcessorCount;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>
    /// A job was submitted (Lua's OnJobSubmitted). Raised under the engine's lock, so that it comes
    /// before the job's end even when a worker runs the job at once: a handler must only take note
    /// (Lua's dispatcher queues the event) and not call back into the engine.
    /// </summary>
    public event Action<string>? JobSubmitted;

    /// <summary>A job ended in Success (OnJobSuccess).</summary>
    public event Action<string>? JobSucceeded;

    /// <summary>A job ended in Failure, canceled included (OnJobFailure).</summary>
    public event Action<string>? JobFailed;

    private DateTime Now => _clock.GetUtcNow().UtcDateTime;

    /// <summary>Orthanc's job time stamps (boost's ISO form, UTC): 20261124T101500.123456.</summary>
    public static string FormatTime(DateTime time) => time.ToString(TimeFormat, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Reloads the saved jobs (<paramref name="createJob"/> rebuilds each from its saved form) and starts the workers.</summary>
    public void Start(Func<JsonObject, Job> createJob)
    {
        ArgumentNullException.ThrowIfNull(createJob);
        if (_store is not null)
            Reload(createJob);
        for (var i = 0; i < _workerCount; i++)
            _workers.Add(Task.Run(WorkAsync));
        _workers.Add(Task.Run(ScheduleRetriesAsync));
    }

    private void Reload(Func<JsonObject, Job> createJob)
    {
        var loaded = new List<JobHandler>();
        var unreadable = new List<string>();
        foreach (var (id, content) in _store!.SavedJobs())
        {
            try
            {
                loaded.Add(JobHandler.Deserialize(id, content, createJob));
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or System.Text.Json.JsonException or InvalidOperationException)
            {
                LogUnreadableJob(_logger, id, ex.Message);
                unreadable.Add(id);
            }
        }

        lock (_lock)
        {
            foreach (var handler in loaded.OrderBy(h => h.LastStateChange))
            {
                _jobs.Add(handler.Id, handler);
                switch (handler.State)
                {
                    case JobState.Success or JobState.Failure:
                        _completed.AddLast(handler);
                        break;
                    case JobState.Paused:
                        break;
                    default:
                        // Pending, Retry, or Running when the process stopped: queued again.
                        handler.SetState(JobState.Pending, handler.LastStateChange);
                        Enqueue(handler);
                        break;
                }
            }

            unreadable.AddRange(ForgetOldCompletedJobs());
        }

        _store.DeleteJobs(unreadable);
        if (loaded.Count > 0)
            LogReloaded(_logger, loaded.Count);
    }

    /// <summary>Queues a job; its ID.</summary>
    public string Submit(Job job, int priority = 0) => SubmitHandler(job, priority).Id;

    /// <summary>Queues a job and waits until it succeeds or fails (Orthanc's synchronous REST calls).</summary>
    public Task<JobOutcome> SubmitAndWaitAsync(Job job, int priority = 0) => SubmitHandler(job, priority).Completion.Task;

    private JobHandler SubmitHandler(Job job, int priority)
    {
        ArgumentNullException.ThrowIfNull(job);
        var handler = new JobHandler(NewId(), job, priority, Now);
        lock (_lock)
        {
            Save(handler);
            Queue(handler);
        }

        return handler;
    }

    /// <summary>
    /// Queues jobs made together (the routing jobs of a page of Lua events, priority 0); their IDs.
    /// Their saved states go to <paramref name="save"/> (none without SaveJobs), for the caller to
    /// write in its own transaction (with what made them) before any of them can run.
    /// </summary>
    public IReadOnlyList<string> SubmitAll(IReadOnlyList<Job> jobs, Action<IReadOnlyCollection<(string Id, string Content)>> save)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(save);
        var handlers = jobs.Select(job => new JobHandler(NewId(), job, 0, Now)).ToList();
        lock (_lock)
        {
            save(_store is null ? [] : [.. handlers.Select(h => (h.Id, h.Serialize()))]);
            foreach (var handler in handlers)
                Queue(handler);
        }

        return [.. handlers.Select(h => h.Id)];
    }

    // A UUID as Orthanc's, but ordered by time (version 7): the saved jobs' rows, keyed by it, are
    // then written at the end of their table, a page or two for all the jobs running, where random
    // keys put every job's row on a page of its own.
    private static string NewId() => Guid.CreateVersion7().ToString();

    // Under the lock: a new job is listed, announced, then queued.
    private void Queue(JobHandler handler)
    {
        _jobs.Add(handler.Id, handler);
        LogSubmitted(_logger, handler.Job.Type, handler.Priority, handler.Id);
        JobSubmitted?.Invoke(handler.Id);
        Enqueue(handler);
    }

    /// <summary>The IDs of every job in the engine, in ID order (as Orthanc lists them).</summary>
    public IReadOnlyList<string> List()
    {
        lock (_lock)
            return [.. _jobs.Keys.Order(StringComparer.Ordinal)];
    }

    public JobInfo? Describe(string id)
    {
        lock (_lock)
            return _jobs.TryGetValue(id, out var handler) ? handler.Describe(Now) : null;
    }

    /// <summary>Counts by state (pending includes retrying, running includes paused), as Orthanc's metrics group them.</summary>
    public (int Pending, int Running, int Success, int Failure) Statistics()
    {
        lock (_lock)
        {
            var states = _jobs.Values.Select(h => h.State).ToList();
            return (states.Count(s => s is JobState.Pending or JobState.Retry), states.Count(s => s is JobState.Running or JobState.Paused),
                states.Count(s => s == JobState.Success), states.Count(s => s == JobState.Failure));
        }
    }

    /// <summary>Pauses a pending or retrying job at once, a running one after its current step; false for an unknown job.</summary>
    public bool Pause(string id)
    {
        lock (_lock)
        {
            if (!_jobs.TryGetValue(id, out var handler))
                return false;
            switch (handler.State)
            {
                case JobState.Pending:
                    _pending.Remove(handler, out _, out _);
                    ChangeState(handler, JobState.Paused);
                    break;
                case JobState.Retry:
                    _retrying.Remove(handler);
                    ChangeState(handler, JobState.Paused);
                    break;
                case JobState.Running:
                    handler.PauseScheduled = true;
                    break;
            }

            return true;
        }
    }

    /// <summary>Cancels a job (it fails with "Job has been canceled"); a running one after its current step; false for an unknown job.</summary>
    public bool Cancel(string id)
    {
        JobHandler? canceled = null;
        lock (_lock)
        {
            if (!_jobs.TryGetValue(id, out var handler))
                return false;
            switch (handler.State)
            {
                case JobState.Pending or JobState.Retry or JobState.Paused:
                    _pending.Remove(handler, out _, out _);
                    _retrying.Remove(handler);
                    handler.Error = OrthancError.CanceledJob;
                    handler.ErrorDetails = "";
                    Complete(handler, JobState.Failure);
                    canceled = handler;
                    break;
                case JobState.Running:
                    handler.CancelScheduled = true;
                    break;
            }
        }

        if (canceled is not null)
            Signal(canceled);
        return true;
    }

    /// <summary>Queues a paused job again; false when unknown or not paused.</summary>
    public bool Resume(string id)
    {
        lock (_lock)
        {
            if (!_jobs.TryGetValue(id, out var handler) || handler.State != JobState.Paused)
                return false;
            ChangeState(handler, JobState.Pending);
            Enqueue(handler);
            return true;
        }
    }

    /// <summary>Runs a failed job again from its first step; false when unknown or not failed.</summary>
    public bool Resubmit(string id)
    {
        lock (_lock)
        {
            if (!_jobs.TryGetValue(id, out var handler) || handler.State != JobState.Failure)
                return false;
            handler.Job.Reset();
            handler.TakeSnapshot();
            _completed.Remove(handler);
            handler.ResetRuntime();
            ChangeState(handler, JobState.Pending); // the last error stays shown until it runs, as in Orthanc
            Enqueue(handler);
            return true;
        }
    }

    private void Enqueue(JobHandler handler)
    {
        _pending.Enqueue(handler, (-handler.Priority, _order++));
        _available.Release();
    }

    private void ChangeState(JobHandler handler, JobState state)
    {
        handler.SetState(state, Now);
        Save(handler);
    }

    // The job's end and the history it pushes out are saved in one transaction.
    private void Complete(JobHandler handler, JobState state)
    {
        handler.SetState(state, Now);
        _completed.AddLast(handler);
        _store?.SaveJob(handler.Id, handler.Serialize(), ForgetOldCompletedJobs());
        handler.Completion.TrySetResult(handler.Outcome());
    }

    // The IDs of the finished jobs beyond JobsHistorySize, now forgotten (their saved state is for the caller to delete).
    private List<string> ForgetOldCompletedJobs()
    {
        var forgotten = new List<string>();
        while (_completed.Count > _historySize)
        {
            var oldest = _completed.First!.Value;
            _completed.RemoveFirst();
            _jobs.Remove(oldest.Id);
            forgotten.Add(oldest.Id);
        }

        return forgotten;
    }

    private void Save(JobHandler handler) => _store?.SaveJob(handler.Id, handler.Serialize());

    private void Signal(JobHandler finished)
    {
        if (finished.State == JobState.Success)
            JobSucceeded?.Invoke(finished.Id);
        else
            JobFailed?.Invoke(finished.Id);
    }

    public async Task StopAsync()
    {
        if (_stopping.IsCancellationRequested)
            return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_workers).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
        _available.Dispose();
    }
}
