using Dapper;

namespace DicomScript.Storage.Index;

// The jobs engine's saved jobs: one row per job, its serialized state as the engine wrote it. The
// engine writes a row whenever a job changes, so a job survives the process being killed.
public sealed partial class SqliteIndex
{
    /// <summary>Creates or replaces the saved state of a job.</summary>
    public void SaveJob(string id, string content)
    {
        lock (_lock)
            _connection.Execute("INSERT INTO Jobs(id, content) VALUES (@id, @content) ON CONFLICT(id) DO UPDATE SET content = excluded.content", new { id, content });
    }

    /// <summary>Forgets a job (it left the engine's history).</summary>
    public void DeleteJob(string id)
    {
        lock (_lock)
            _connection.Execute("DELETE FROM Jobs WHERE id = @id", new { id });
    }

    /// <summary>Every saved job, in no particular order.</summary>
    public IReadOnlyList<(string Id, string Content)> SavedJobs()
    {
        lock (_lock)
            return [.. _connection.Query<(string, string)>("SELECT id, content FROM Jobs")];
    }
}
