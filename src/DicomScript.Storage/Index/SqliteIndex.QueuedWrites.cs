using System.Globalization;
using Microsoft.Data.Sqlite;

namespace DicomScript.Storage.Index;

// Writes that need not commit on their own: the jobs engine's saves and the Lua events' progress.
// A commit writes every page its transaction touched whole into the WAL, so a commit of its own for
// each of these cost about as much as the store they follow. So they are queued, and written with
// the next commit of a store or a deletion, or by themselves at most QueuedWriteDelay later.
//
// What a crash can lose is therefore a few milliseconds of them, never their order against what
// they describe:
// - a deletion commits what was queued before it, so a job's saved state never says less of it
//   than its committed effects (killed after the commit, a job resumes after the deletion, never
//   before it, and re-runs at most a send);
// - the routing jobs of a page of events are queued with that page's progress, in one step, so
//   both are written or neither: after a crash the events are delivered again and make their jobs
//   again, or the jobs are there and the events are not delivered again.
public sealed partial class SqliteIndex
{
    private readonly Lock _queuedLock = new(); // the queued writes; never held while waiting for _lock
    private Dictionary<string, string?> _queuedJobs = new(StringComparer.Ordinal); // the state to save, null to forget
    private (long Change, long Event)? _queuedProgress; // the Lua events delivered, not yet written
    private bool _flushScheduled;
    private Timer? _flushTimer;
    private bool _closed; // under _queuedLock

    /// <summary>How long a queued write waits for another commit to ride along with (tests change it).</summary>
    internal TimeSpan QueuedWriteDelay { get; set; } = TimeSpan.FromMilliseconds(20);

    // Under _queuedLock, having queued something.
    private void ScheduleFlush()
    {
        if (_flushScheduled || _closed)
            return;
        _flushScheduled = true;
        _flushTimer ??= new Timer(_ => FlushQueuedWrites());
        _flushTimer.Change(QueuedWriteDelay, Timeout.InfiniteTimeSpan);
    }

    // Under _lock, inside a transaction about to commit: the queued writes and deletions go with it.
    private void CommitWithQueuedWrites(SqliteTransaction transaction)
    {
        Dictionary<string, string?> jobs;
        (long Change, long Event)? progress;
        lock (_queuedLock)
        {
            jobs = _queuedJobs;
            if (jobs.Count > 0)
                _queuedJobs = new(StringComparer.Ordinal);
            progress = _queuedProgress;
            _queuedProgress = null;
        }

        foreach (var (id, content) in jobs)
        {
            if (content is null)
                ForgetJob(id);
            else
                WriteJob(id, content);
        }

        if (progress is { } delivered)
            WriteEventProgress(delivered.Change, delivered.Event);
        var deletions = RunQueuedDeletions();
        transaction.Commit();
        MarkDone(deletions);
    }

    // The timer's work, and what reading or closing the index does first. A failed commit loses
    // the writes it held: a job then resumes from an earlier saved step (the engine's own state is
    // intact, and the job's next save writes it whole), the events from an earlier position.
    private void FlushQueuedWrites()
    {
        lock (_lock)
        {
            lock (_queuedLock)
            {
                _flushScheduled = false;
                if ((_queuedJobs.Count == 0 && _queuedProgress is null) || _closed)
                    return;
            }

            try
            {
                using var transaction = _connection.BeginTransaction();
                CommitWithQueuedWrites(transaction);
            }
            catch (SqliteException)
            {
            }
        }
    }

    // Closing: the queued writes are written, later ones refused silently (the engine has stopped).
    private void CloseQueuedWrites()
    {
        FlushQueuedWrites();
        lock (_queuedLock)
        {
            _closed = true;
            _flushTimer?.Dispose();
        }
    }

    private void WriteEventProgress(long deliveredChange, long deliveredEvent)
    {
        WriteGlobalProperty(GlobalProperty.LuaEventsDelivered, deliveredChange.ToString(CultureInfo.InvariantCulture));
        WriteGlobalProperty(GlobalProperty.LuaLoggedEventsDelivered, deliveredEvent.ToString(CultureInfo.InvariantCulture));
        _rows.Execute("DELETE FROM EventLog WHERE seq <= @seq", ("@seq", deliveredEvent));
    }
}
