using Dapper;
using DicomScript.Storage.Index;
using Microsoft.Data.Sqlite;
using NUnit.Framework;

namespace DicomScript.Storage.Tests;

// Deletions asked while another writer holds the index's lock wait in a queue and are committed
// by the next transaction, whoever's it is.
public partial class SqliteIndexTests
{
    private static readonly string[] ThreeInstances = ["test_files/CT_small.dcm", "test_files/MR_small.dcm", "test_files/rtplan.dcm"];

    // Starts a thread per resource that deletes it while this one holds the lock; returns once
    // every deletion is done, with each one's outcome or failure.
    private object?[] DeleteEachWhileLocked(List<string> ids, Action<SqliteConnection>? alsoUnderLock = null)
    {
        var results = new object?[ids.Count];
        var threads = ids.Select((id, i) => new Thread(() =>
        {
            try
            {
                results[i] = _index.Delete(id);
            }
            catch (SqliteException ex)
            {
                results[i] = ex;
            }
        })).ToArray();
        _index.WhileLocked(connection =>
        {
            foreach (var thread in threads)
                thread.Start();
            Assert.That(SpinWait.SpinUntil(() => _index.QueuedDeletionCount == ids.Count, TimeSpan.FromSeconds(10)), Is.True, "every deletion queued behind the lock");
            alsoUnderLock?.Invoke(connection);
        });
        foreach (var thread in threads)
            Assert.That(thread.Join(TimeSpan.FromSeconds(10)), Is.True);
        return results;
    }

    [Test]
    public void Delete_SeveralAskedWhileAnotherWriterHoldsTheLock_ShareOneCommit()
    {
        var ids = ThreeInstances.Select(file => Ingest(file).InstanceId).ToList();
        var commits = _index.Commits;

        var results = DeleteEachWhileLocked(ids);

        Assert.That(_index.Commits - commits, Is.EqualTo(1));
        Assert.That(results, Has.All.InstanceOf<DeleteOutcome>());
        Assert.That(results.Cast<DeleteOutcome>().Select(o => o.FileUuids.Count), Is.All.EqualTo(1), "each deletion returns its own file");
        Assert.That(ids.Select(_index.Get), Is.All.Null);
        Assert.That(_index.QueuedDeletionCount, Is.Zero);
    }

    [Test]
    public void Delete_AskedWhileAStoreHoldsTheLock_RidesOnTheStoresCommit()
    {
        var deleted = Ingest("test_files/CT_small.dcm").InstanceId;
        var commits = _index.Commits;
        string? stored = null;

        var results = DeleteEachWhileLocked([deleted], _ => stored = Ingest("test_files/MR_small.dcm").InstanceId);

        Assert.That(_index.Commits - commits, Is.EqualTo(1), "the store's commit, with the deletion in it");
        Assert.That(results[0], Is.InstanceOf<DeleteOutcome>());
        Assert.That(_index.Get(deleted), Is.Null);
        Assert.That(_index.Get(stored!), Is.Not.Null);
    }

    [Test]
    public void Delete_OneOfAGroupFails_FailsAlone()
    {
        var ids = ThreeInstances.Select(file => Ingest(file).InstanceId).ToList();

        var results = DeleteEachWhileLocked(ids, connection => connection.Execute(
            $"CREATE TEMP TRIGGER refuse BEFORE DELETE ON Resources WHEN old.publicId = '{ids[1]}' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"));

        Assert.That(results[1], Is.InstanceOf<SqliteException>().With.Message.Contains("refused by the test"));
        Assert.That(_index.Get(ids[1]), Is.Not.Null, "the failed deletion left nothing half done");
        Assert.That(_index.Get(ids[0]), Is.Null);
        Assert.That(_index.Get(ids[2]), Is.Null);
        Assert.That(results[0], Is.InstanceOf<DeleteOutcome>());
        Assert.That(results[2], Is.InstanceOf<DeleteOutcome>());
    }

    [Test]
    public void Delete_UnknownResource_Null()
    {
        Assert.That(_index.Delete("0000000-unknown"), Is.Null);
        Assert.That(_index.QueuedDeletionCount, Is.Zero);
    }
}
