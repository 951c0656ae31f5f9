using Dapper;

namespace DicomScript.Storage.Index;

// The jobs engine's saved jobs: one row per job, its serialized state as the engine wrote it. The
// engine saves a job whenever it changes in a way a restart needs; a routing job changes three
// times within a millisecond or two, so a save is queued (see SqliteIndex.QueuedWrites.cs).
public sealed partial class SqliteIndex
{
    /// <summary>
    /// Queues the saved state of a job, and the forgetting of <paramref name="forgotten"/> ones
    /// (pushed out of the history); written together within <see cref="QueuedWriteDelay"/>.
    /// </summary>
    public void SaveJob(string id, string content, IReadOnlyCollection<string>? forgotten = null)
    {
        lock (_queuedLock)
        {
            _queuedJobs[id] = content;
            foreach (var old in forgotten ?? [])
                _queuedJobs[old] = null;
            ScheduleFlush();
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

    /// <summary>Every saved job (the queued saves written first), in no particular order.</summary>
    public IReadOnlyList<(string Id, string Content)> SavedJobs()
    {
        FlushQueuedWrites();
        lock (_lock)
            return [.. _connection.Query<(string, string)>("SELECT id, content FROM Jobs")];
    }
}
