using DicomScript.Storage.Index;
using Microsoft.Data.Sqlite;
using NUnit.Framework;

namespace DicomScript.Storage.Tests;

// Job saves are queued and written with the next store, deletion or event progress, or by
// themselves after a short delay. "Killed" below reads a copy of the index files taken while the
// index is open: what a process killed at that moment would leave.
public partial class SqliteIndexTests
{
    private IReadOnlyList<string> SavedJobsIfKilledNow()
    {
        var copy = Directory.CreateTempSubdirectory("index-killed-");
        try
        {
            foreach (var file in Directory.GetFiles(_folder.FullName, "index.sqlite*"))
                File.Copy(file, Path.Combine(copy.FullName, Path.GetFileName(file)));
            using var reopened = SqliteIndex.Open(copy.FullName);
            return [.. reopened.SavedJobs().Select(j => j.Id).Order(StringComparer.Ordinal)];
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
        _index.JobSaveDelay = TimeSpan.FromHours(1);
        var instance = Ingest("test_files/CT_small.dcm").InstanceId;
        _index.SaveJob("job-1", "{}");
        Assert.That(SavedJobsIfKilledNow(), Is.Empty, "queued, not yet written");

        _index.Delete(instance);

        Assert.That(SavedJobsIfKilledNow(), Is.EqualTo(new[] { "job-1" }), "the deletion's commit wrote it: a job's saved step is never behind its committed deletion");
    }

    [Test]
    public void SaveJob_QueuedUntilTheNextStoreOrEventProgress_WithThem()
    {
        _index.JobSaveDelay = TimeSpan.FromHours(1);
        _index.SaveJob("job-1", "{}");
        Ingest("test_files/CT_small.dcm");
        _index.SaveJob("job-2", "{}");
        _index.SaveEventProgress(0, 0);
        Assert.That(SavedJobsIfKilledNow(), Is.EqualTo(new[] { "job-1", "job-2" }));
    }

    [Test]
    public void SaveJob_NothingElseCommits_WrittenAfterItsDelay()
    {
        _index.JobSaveDelay = TimeSpan.FromMilliseconds(10);
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
        _index.JobSaveDelay = TimeSpan.FromHours(1);
        _index.SaveJob("job-1", "{}");
        _index.SaveJob("job-2", "{\"a\":1}", forgotten: ["job-1"]);
        _index.SaveJob("job-2", "{\"a\":2}");
        _index.Dispose();
        _index = SqliteIndex.Open(_folder.FullName);
        Assert.That(_index.SavedJobs(), Is.EqualTo(new[] { ("job-2", "{\"a\":2}") }), "the last state of each job; the forgotten one gone");
    }
}
