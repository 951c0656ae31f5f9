using Dapper;
using Microsoft.Data.Sqlite;

namespace DicomScript.Storage.Index;

// The jobs engine's saved jobs: one row per job, its serialized state as the engine wrote it. The
// engine saves a job whenever it changes in a way a restart needs. A save is queued, and written
// with the next commit of a store, a deletion or the Lua events' progress, or by itself at most
// JobSaveDelay later: a routing job changes three times within a millisecond or two, and a commit
// of its own for each held the index's lock, which every store waits for, about as long as the
// job's deletion did. A deletion commits the saves queued before it, so the saved state never says
// less of a job than its committed effects: killed after the commit, a job resumes after the
// deletion, never before it, and re-runs at most a send.
public sealed partial class SqliteIndex
{
    private readonly Lock _queuedLock = new(); // the queued job saves and deletions; never held while waiting for _lock
    private Dictionary<string, string?> _queuedJobs = new(StringComparer.Ordinal); // the state to save, null to forget
    private bool _jobSaveScheduled;
    private Timer? _jobSaveTimer;
    private bool _closed; // under _queuedLock

    /// <summary>How long a queued job save waits for another commit to ride along with (tests change it).</summary>
    internal TimeSpan JobSaveDelay { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Queues the saved state of a job, and the forgetting of <paramref name="forgotten"/> ones
    /// (pushed out of the history); written together within <see cref="JobSaveDelay"/>.
    /// </summary>
    public void SaveJob(string id, string content, IReadOnlyCollection<string>? forgotten = null)
    {
        lock (_queuedLock)
        {
            _queuedJobs[id] = content;
            foreach (var old in forgotten ?? [])
                _queuedJobs[old] = null;
            if (_jobSaveScheduled || _closed)
                return;
            _jobSaveScheduled = true;
            _jobSaveTimer ??= new Timer(_ => FlushQueuedJobs());
            _jobSaveTimer.Change(JobSaveDelay, Timeout.InfiniteTimeSpan);
        }
    }

    // Under _lock, inside a transaction about to commit: the queued job saves and deletions go with it.
    private void CommitWithQueuedWrites(SqliteTransaction transaction)
    {
        Dictionary<string, string?> queued;
        lock (_queuedLock)
        {
            queued = _queuedJobs;
            if (queued.Count > 0)
                _queuedJobs = new(StringComparer.Ordinal);
        }

        foreach (var (id, content) in queued)
        {
            if (content is null)
                ForgetJob(id);
            else
                WriteJob(id, content);
        }

        var deletions = RunQueuedDeletions();
        transaction.Commit();
        MarkDone(deletions);
    }

    // The timer's work, and what reading or closing the index does first. A failed commit loses
    // the saves it held (a job then resumes from an earlier saved step): the engine's own state
    // is intact, and the job's next save writes it whole.
    private void FlushQueuedJobs()
    {
        lock (_lock)
        {
            lock (_queuedLock)
            {
                _jobSaveScheduled = false;
                if (_queuedJobs.Count == 0 || _closed)
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

    private void WriteJob(string id, string content) =>
        _rows.Execute("INSERT INTO Jobs(id, content) VALUES (@id, @content) ON CONFLICT(id) DO UPDATE SET content = excluded.content",
            ("@id", id), ("@content", content));

    private void ForgetJob(string id) => _rows.Execute("DELETE FROM Jobs WHERE id = @id", ("@id", id));

    /// <summary>Forgets jobs at once (saved jobs that cannot be read).</summary>
    public void DeleteJobs(IReadOnlyCollection<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        lock (_lock)
        {
            using var transaction = _connection.BeginTransaction();
            foreach (var id in ids)
                ForgetJob(id);
            transaction.Commit();
        }
    }

    // Closing: the queued saves are written, later ones refused silently (the engine has stopped).
    private void CloseJobSaves()
    {
        FlushQueuedJobs();
        lock (_queuedLock)
        {
            _closed = true;
            _jobSaveTimer?.Dispose();
        }
    }

    /// <summary>Every saved job (the queued saves written first), in no particular order.</summary>
    public IReadOnlyList<(string Id, string Content)> SavedJobs()
    {
        FlushQueuedJobs();
        lock (_lock)
            return [.. _connection.Query<(string, string)>("SELECT id, content FROM Jobs")];
    }
}
