using DicomScript.Storage.Index;
using Microsoft.Data.Sqlite;
using NUnit.Framework;

namespace DicomScript.Storage.Tests;

// Job saves and the Lua events' progress are queued and written with the next store or deletion,
// or by themselves after a short delay. "Killed" below reads a copy of the index files taken while the
// index is open: what a process killed at that moment would leave.
public partial class SqliteIndexTests
{
    private List<string> SavedJobsIfKilledNow() =>
        IfKilledNow(reopened => reopened.SavedJobs().Select(j => j.Id).Order(StringComparer.Ordinal).ToList());

    private (string? Change, string? Event) SavedEventProgressIfKilledNow() =>
        IfKilledNow(reopened => (reopened.GetGlobalProperty(GlobalProperty.LuaEventsDelivered), reopened.GetGlobalProperty(GlobalProperty.LuaLoggedEventsDelivered)));

    private T IfKilledNow<T>(Func<SqliteIndex, T> read)
    {
        var copy = Directory.CreateTempSubdirectory("index-killed-");
        try
        {
            foreach (var file in Directory.GetFiles(_folder.FullName, "index.sqlite*"))
                File.Copy(file, Path.Combine(copy.FullName, Path.GetFileName(file)));
            using var reopened = SqliteIndex.Open(copy.FullName);
            return read(reopened);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            copy.Delete(recursive: true);
        }
    }

    [Test]
    public void SaveJob_QueuedUntilTheNextDeletionCommits_WithIt()
    {
        _index.QueuedWriteDelay = TimeSpan.FromHours(1);
        var instance = Ingest("test_files/CT_small.dcm").InstanceId;
        _index.SaveJob("job-1", "{}");
        Assert.That(SavedJobsIfKilledNow(), Is.Empty, "queued, not yet written");

        _index.Delete(instance);

        Assert.That(SavedJobsIfKilledNow(), Is.EqualTo(new[] { "job-1" }), "the deletion's commit wrote it: a job's saved step is never behind its committed deletion");
    }

    [Test]
    public void SaveJob_QueuedUntilTheNextStore_WithIt()
    {
        _index.QueuedWriteDelay = TimeSpan.FromHours(1);
        _index.SaveJob("job-1", "{}");
        Ingest("test_files/CT_small.dcm");
        _index.SaveJob("job-2", "{}");
        Assert.That(SavedJobsIfKilledNow(), Is.EqualTo(new[] { "job-1" }));
    }

    [Test]
    public void SaveEventProgress_QueuedWithItsJobs_UntilTheNextStoreWritesBoth()
    {
        _index.QueuedWriteDelay = TimeSpan.FromHours(1);
        _index.SaveEventProgress(5, 3, [("job-1", "{}")]);
        Assert.That(SavedEventProgressIfKilledNow(), Is.EqualTo(((string?)null, (string?)null)), "queued, not yet written");
        Assert.That(SavedJobsIfKilledNow(), Is.Empty);

        Ingest("test_files/CT_small.dcm");

        Assert.That(SavedEventProgressIfKilledNow(), Is.EqualTo(("5", "3")));
        Assert.That(SavedJobsIfKilledNow(), Is.EqualTo(new[] { "job-1" }), "the page's jobs in the same commit as its progress");
    }

    [Test]
    public void SaveEventProgress_NothingElseCommits_WrittenAfterItsDelay_TheLastPositionWins()
    {
        _index.QueuedWriteDelay = TimeSpan.FromMilliseconds(10);
        _index.SaveEventProgress(5, 3);
        _index.SaveEventProgress(6, 4);
        var saved = SavedEventProgressIfKilledNow();
        for (var i = 0; i < 500 && saved.Change is null; i++)
        {
            Thread.Sleep(10);
            saved = SavedEventProgressIfKilledNow();
        }

        Assert.That(saved, Is.EqualTo(("6", "4")));
    }

    [Test]
    public void GetGlobalProperty_TheQueuedProgressWrittenFirst()
    {
        _index.QueuedWriteDelay = TimeSpan.FromHours(1);
        _index.SaveEventProgress(7, 2);
        Assert.That(_index.GetGlobalProperty(GlobalProperty.LuaEventsDelivered), Is.EqualTo("7"));
        Assert.That(SavedEventProgressIfKilledNow(), Is.EqualTo(("7", "2")), "read after writing it, as the dispatcher's start reads it");
    }

    [Test]
    public void SaveJob_NothingElseCommits_WrittenAfterItsDelay()
    {
        _index.QueuedWriteDelay = TimeSpan.FromMilliseconds(10);
        _index.SaveJob("job-1", "{}");
        var written = false;
        for (var i = 0; i < 500 && !written; i++)
        {
            Thread.Sleep(10);
            written = SavedJobsIfKilledNow().Contains("job-1");
        }

        Assert.That(written, Is.True);
    }

    [Test]
    public void SaveJob_ForgottenJobsGo_AndClosingWritesWhatIsQueued()
    {
        _index.QueuedWriteDelay = TimeSpan.FromHours(1);
        _index.SaveJob("job-1", "{}");
        _index.SaveJob("job-2", "{\"a\":1}", forgotten: ["job-1"]);
        _index.SaveJob("job-2", "{\"a\":2}");
        _index.Dispose();
        _index = SqliteIndex.Open(_folder.FullName);
        Assert.That(_index.SavedJobs(), Is.EqualTo(new[] { ("job-2", "{\"a\":2}") }), "the last state of each job; the forgotten one gone");
    }
}
