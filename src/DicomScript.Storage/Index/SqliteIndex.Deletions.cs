using System.Runtime.ExceptionServices;
using DicomScript.Storage.Identifiers;
using Microsoft.Data.Sqlite;

namespace DicomScript.Storage.Index;

// Deletions, committed in groups. A commit writes each page its transaction touched whole into the
// WAL, and a deletion touches nearly as many pages as a store: its own commit cost more than its
// statements. So a deletion waits in a queue, and the next transaction to commit (a store's,
// another deletion's, the Lua events' progress) runs every deletion queued, each in a savepoint so
// that a deletion that fails fails alone. While a routing script deletes what it has forwarded,
// most deletions ride on the commit of a store that held the lock when they came.
public sealed partial class SqliteIndex
{
    private List<QueuedDeletion> _queuedDeletions = []; // under _queuedLock

    // A deletion asked for; its fields written under _lock by the transaction that ran it.
    private sealed class QueuedDeletion(string publicId)
    {
        public string PublicId { get; } = publicId;

        public bool Queued { get; set; } = true; // under _queuedLock: false once a transaction took it

        public bool Done { get; set; } // committed (or failed on its own)

        public DeleteOutcome? Outcome { get; set; }

        public Exception? Failure { get; set; }
    }

    /// <summary>
    /// Deletes a resource and everything below it, then the ancestors left without children, and
    /// returns once that is committed: the files to remove (after the commit) and the nearest
    /// ancestor still there; null when unknown. Several deletions asked at once share a commit.
    /// </summary>
    public DeleteOutcome? Delete(string publicId)
    {
        var deletion = new QueuedDeletion(publicId);
        lock (_queuedLock)
            _queuedDeletions.Add(deletion);
        lock (_lock)
        {
            if (!deletion.Done)
            {
                lock (_queuedLock)
                {
                    if (!deletion.Queued) // taken by a transaction that failed to commit: ours runs it again
                    {
                        deletion.Queued = true;
                        _queuedDeletions.Add(deletion);
                    }
                }

                using var transaction = _connection.BeginTransaction();
                CommitWithQueuedWrites(transaction);
            }
        }

        if (deletion.Failure is { } failure)
            ExceptionDispatchInfo.Throw(failure);
        return deletion.Outcome;
    }

    /// <summary>The deletions waiting for a transaction (tests watch them queue).</summary>
    internal int QueuedDeletionCount
    {
        get
        {
            lock (_queuedLock)
                return _queuedDeletions.Count;
        }
    }

    /// <summary>Runs <paramref name="action"/> holding the index's lock, as a writer would (tests).</summary>
    internal void WhileLocked(Action<SqliteConnection> action)
    {
        lock (_lock)
            action(_connection);
    }

    // Under _lock, inside the transaction about to commit: runs the deletions queued, each in its
    // savepoint. Returns them, to be marked done once the commit succeeds.
    private List<QueuedDeletion> RunQueuedDeletions()
    {
        List<QueuedDeletion> taken;
        lock (_queuedLock)
        {
            if (_queuedDeletions.Count == 0)
                return [];
            taken = _queuedDeletions;
            _queuedDeletions = [];
            foreach (var deletion in taken)
                deletion.Queued = false;
        }

        foreach (var deletion in taken)
        {
            deletion.Failure = null;
            _rows.Execute("SAVEPOINT deletion");
            try
            {
                deletion.Outcome = DeleteByPublicId(deletion.PublicId);
                _rows.Execute("RELEASE deletion");
            }
            catch (Exception ex) when (ex is SqliteException or InvalidOperationException)
            {
                _rows.Execute("ROLLBACK TO deletion");
                _rows.Execute("RELEASE deletion");
                deletion.Failure = ex;
            }
        }

        return taken;
    }

    private static void MarkDone(List<QueuedDeletion> committed)
    {
        foreach (var deletion in committed)
            deletion.Done = true;
    }

    private DeleteOutcome? DeleteByPublicId(string publicId)
    {
        long id;
        long? parent;
        using (var row = _rows.Read("SELECT internalId, parentId FROM Resources WHERE publicId = @publicId", ("@publicId", publicId)))
        {
            if (!row.Read())
                return null;
            id = row.Int64(0);
            parent = row.IsNull(1) ? null : row.Int64(1);
        }

        return DeleteTree(id, parent);
    }

    // Deletes a resource with everything below it, and the ancestors it leaves without children, in
    // the caller's transaction; logs a Deleted event for each resource removed (top-down: on the
    // last instance of a patient, patient, study, series, instance, as Orthanc signals them) and
    // returns the files to remove once it commits.
    private DeleteOutcome DeleteTree(long id, long? parentOfResource)
    {
        // Climb while the parent has no other child: the topmost of those is what goes.
        var top = id;
        (string, ResourceLevel)? remaining = null;
        var parent = parentOfResource;
        while (parent is { } parentId)
        {
            using var up = _rows.Read("""
                SELECT parentId, publicId, resourceType, (SELECT COUNT(*) FROM Resources c WHERE c.parentId = @parentId)
                FROM Resources WHERE internalId = @parentId
                """, ("@parentId", parentId));
            if (!up.Read())
                throw new InvalidOperationException($"The index has no resource {parentId}, the parent of a resource it holds");
            if (up.Int64(3) > 1)
            {
                remaining = (up.String(1), (ResourceLevel)up.Int64(2));
                break;
            }

            top = parentId;
            parent = up.IsNull(0) ? null : up.Int64(0);
        }

        var files = new List<string>();
        using (var file = _rows.Read($"{SubtreeOf} SELECT a.uuid FROM AttachedFiles a JOIN sub ON a.id = sub.id", ("@id", top)))
        {
            while (file.Read())
                files.Add(file.String(0));
        }

        LogDeleted(top);
        _rows.Execute("DELETE FROM Resources WHERE internalId = @id", ("@id", top));
        return new DeleteOutcome(files, remaining);
    }

    private const string SubtreeOf = "WITH RECURSIVE sub(id) AS (SELECT @id UNION ALL SELECT r.internalId FROM Resources r JOIN sub ON r.parentId = sub.id)";
}
