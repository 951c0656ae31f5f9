using DicomScript.Storage.Identifiers;
using SQLitePCL;

namespace DicomScript.Storage.Index;

/// <summary>
/// An event of the archive: a change of the change log (<see cref="EventSeq"/> 0), or an entry of
/// the event log (<see cref="EventSeq"/> its number; <see cref="Change"/>'s Seq is then the last
/// change made before it).
/// </summary>
public sealed record IndexEvent(Change Change, long EventSeq);

// The event log: what Orthanc signals without logging it (deletions, copies already stored), kept
// for the Lua events so that they survive a crash as the logged changes do. Apart from the change
// log, so that /changes numbers its entries as Orthanc does; each entry records the last change
// made before it, which places it in the change log's order.
public sealed partial class SqliteIndex
{
    private bool _eventsLogged; // the open transaction logged a change or an event (under the lock)
    private volatile bool _logsDeletions = true;
    private long _commits;

    /// <summary>The transactions committed since the index opened (tests count them).</summary>
    internal long Commits => Interlocked.Read(ref _commits);

    /// <summary>
    /// Whether deletions go to the event log (true unless switched off). Its reader, the Lua
    /// engine, switches it off while no script defines an OnDeleted* callback: a deletion then
    /// spares a row and the reader a wake-up, which routing scripts that delete what they forwarded
    /// pay once per instance. Deletions made while it is off are never signalled, as Orthanc never
    /// signals to a callback defined after the fact.
    /// </summary>
    public bool LogsDeletions
    {
        get => _logsDeletions;
        set => _logsDeletions = value;
    }

    /// <summary>
    /// Raised when a transaction that logged changes or events commits, so that their reader need
    /// not poll. Called on the committing thread, under the index lock, just before the commit
    /// completes (a reader that takes the lock sees it): a handler only signals.
    /// </summary>
    public event Action? EventsCommitted;

    // SQLite's commit hook sees every commit, the statements outside a transaction included. (After
    // a rollback of a transaction that logged, the next commit raises the event once for nothing:
    // a reader then finds nothing new, which is harmless.)
    private void WatchCommits()
    {
        raw.sqlite3_commit_hook(_connection.Handle, _ =>
        {
            Interlocked.Increment(ref _commits);
            if (_eventsLogged)
            {
                _eventsLogged = false;
                EventsCommitted?.Invoke();
            }

            return 0; // 0: the commit goes on
        }, null);
    }

    /// <summary>
    /// The events after change <paramref name="sinceChange"/> and event <paramref name="sinceEvent"/>,
    /// in the order they happened, at most <paramref name="limit"/>: the changes /changes shows
    /// (of resources still there) and the event log's entries.
    /// </summary>
    public IReadOnlyList<IndexEvent> ReadEvents(long sinceChange, long sinceEvent, int limit)
    {
        lock (_lock)
        {
            // Prepared once: the dispatcher asks after every commit that logs events.
            using var reader = _rows.Read("""
                SELECT * FROM (
                    SELECT c.seq AS position, 0 AS eventSeq, c.changeType, c.resourceType, r.publicId, c.date
                    FROM Changes c JOIN Resources r ON r.internalId = c.internalId WHERE c.seq > @sinceChange
                    UNION ALL
                    SELECT afterChange, seq, changeType, resourceType, publicId, date FROM EventLog WHERE seq > @sinceEvent)
                ORDER BY position, eventSeq LIMIT @limit
                """, ("@sinceChange", sinceChange), ("@sinceEvent", sinceEvent), ("@limit", (long)limit));
            var events = new List<IndexEvent>();
            while (reader.Read())
            {
                var change = new Change(reader.Int64(0), (ChangeType)reader.Int64(2), (ResourceLevel)reader.Int64(3), reader.String(4), reader.String(5));
                events.Add(new IndexEvent(change, reader.Int64(1)));
            }

            return events;
        }
    }

    /// <summary>The last numbers given to a change and to an event (0 before the first), the gone ones included.</summary>
    public (long Change, long Event) LastEventSequences()
    {
        lock (_lock)
            return (LastSequence("Changes"), LastSequence("EventLog"));
    }

    /// <summary>
    /// Records how far the Lua events were delivered, in the change log and in the event log, and
    /// forgets the event log's entries up to <paramref name="deliveredEvent"/> (nobody reads them
    /// again); with the <paramref name="jobs"/> those events made (routing jobs). Queued, and
    /// written in one transaction with the next commit or within <see cref="QueuedWriteDelay"/>:
    /// a job and the event it comes from are saved together, so after a crash neither is lost nor
    /// made twice. A commit of its own per page cost about as much as a store, and delayed the
    /// routing of a batch's last instances.
    /// </summary>
    public void SaveEventProgress(long deliveredChange, long deliveredEvent, IReadOnlyCollection<(string Id, string Content)>? jobs = null)
    {
        lock (_queuedLock)
        {
            _queuedProgress = (deliveredChange, deliveredEvent);
            foreach (var (id, content) in jobs ?? [])
                _queuedJobs[id] = content;
            ScheduleFlush();
        }
    }

    // An event log entry for each resource of the subtree, by level then age (the rows are still there).
    private void LogDeleted(long id)
    {
        if (!_logsDeletions)
            return;
        _eventsLogged = true;
        _rows.Execute($"""
            {SubtreeOf}
            INSERT INTO EventLog(afterChange, changeType, resourceType, publicId, date)
                SELECT @afterChange, @deleted, r.resourceType, r.publicId, @now FROM sub JOIN Resources r ON r.internalId = sub.id
                ORDER BY r.resourceType, r.internalId
            """, ("@id", id), ("@afterChange", LastSequence("Changes")), ("@deleted", (int)ChangeType.Deleted), ("@now", Now()));
    }

    private void LogAlreadyStored(string publicId)
    {
        _eventsLogged = true;
        _rows.Execute("""
            INSERT INTO EventLog(afterChange, changeType, resourceType, publicId, date) VALUES (@afterChange, @type, @level, @publicId, @now)
            """, ("@afterChange", LastSequence("Changes")), ("@type", (int)ChangeType.AlreadyStored), ("@level", (int)ResourceLevel.Instance),
            ("@publicId", publicId), ("@now", Now()));
    }
}
