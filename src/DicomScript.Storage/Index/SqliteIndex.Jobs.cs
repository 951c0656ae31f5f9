using Dapper;
using Microsoft.Data.Sqlite;

namespace DicomScript.Storage.Index;

// The jobs engine's saved jobs: one row per job, its serialized state as the engine wrote it. The
// engine writes a row whenever a job changes in a way a restart needs, so a job survives the
// process being killed.
public sealed partial class SqliteIndex
{
    /// <summary>Creates or replaces the saved state of a job and forgets the <paramref name="forgotten"/> ones, in one transaction.</summary>
    public void SaveJob(string id, string content, IReadOnlyCollection<string>? forgotten = null)
    {
        lock (_lock)
        {
            using var transaction = forgotten is { Count: > 0 } ? _connection.BeginTransaction() : null;
            WriteJob(id, content, transaction);
            ForgetJobs(forgotten ?? [], transaction);
            transaction?.Commit();
        }
    }

    private void WriteJob(string id, string content, SqliteTransaction? transaction) =>
        _prepared.Execute(transaction, "INSERT INTO Jobs(id, content) VALUES (@id, @content) ON CONFLICT(id) DO UPDATE SET content = excluded.content",
            ("@id", id), ("@content", content));

    /// <summary>Forgets jobs (they left the engine's history, or cannot be read).</summary>
    public void DeleteJobs(IReadOnlyCollection<string> ids)
    {
        lock (_lock)
        {
            using var transaction = _connection.BeginTransaction();
            ForgetJobs(ids, transaction);
            transaction.Commit();
        }
    }

    private void ForgetJobs(IReadOnlyCollection<string> ids, SqliteTransaction? transaction)
    {
        foreach (var id in ids)
            _prepared.Execute(transaction, "DELETE FROM Jobs WHERE id = @id", ("@id", id));
    }

    /// <summary>Every saved job, in no particular order.</summary>
    public IReadOnlyList<(string Id, string Content)> SavedJobs()
    {
        lock (_lock)
            return [.. _connection.Query<(string, string)>("SELECT id, content FROM Jobs")];
    }
}
