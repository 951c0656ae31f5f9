using Dapper;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Storage.Files;
using DicomScript.Storage.Identifiers;
using DicomScript.Storage.Index;
using Microsoft.Data.Sqlite;
using NUnit.Framework;

namespace DicomScript.Storage.Tests;

// Metadata revisions, the change log's pages, and the upgrade of a version 1 index.
public partial class SqliteIndexTests
{
    private const int UserMetadata = 1024;

    [Test]
    public void WriteMetadata_EachWriteIsANewRevision_AStaleRevisionIsRefused()
    {
        var instance = Ingest("test_files/CT_small.dcm").InstanceId;
        Assert.That(_index.WriteMetadata(instance, UserMetadata, "a", expected: null), Is.EqualTo(new MetadataWrite(MetadataWriteStatus.Written, 0)));
        Assert.That(_index.WriteMetadata(instance, UserMetadata, "b", expected: null).Revision, Is.EqualTo(1));

        var stale = new MetadataRevision(0, MetadataRevision.Md5Of("a"));
        Assert.That(_index.WriteMetadata(instance, UserMetadata, "c", stale).Status, Is.EqualTo(MetadataWriteStatus.RevisionMismatch));
        var current = new MetadataRevision(1, MetadataRevision.Md5Of("b"));
        Assert.That(_index.WriteMetadata(instance, UserMetadata, "c", current), Is.EqualTo(new MetadataWrite(MetadataWriteStatus.Written, 2)));
        Assert.That(_index.ReadMetadata(instance, ResourceLevel.Instance, UserMetadata), Is.EqualTo(new MetadataRead(true, "c", 2)));
        Assert.That(_index.ReadMetadata(instance, ResourceLevel.Series, UserMetadata), Is.EqualTo(MetadataRead.UnknownResource), "another level's ID");
        Assert.That(_index.WriteMetadata("no-such-id", UserMetadata, "x", null).Status, Is.EqualTo(MetadataWriteStatus.UnknownResource));
    }

    [Test]
    public void DeleteMetadata_ChecksRevisionAndReportsAbsentValues()
    {
        var instance = Ingest("test_files/CT_small.dcm").InstanceId;
        _index.WriteMetadata(instance, UserMetadata, "a", null);
        Assert.That(_index.DeleteMetadata(instance, UserMetadata, new MetadataRevision(0, "wrong")), Is.EqualTo(MetadataWriteStatus.RevisionMismatch));
        Assert.That(_index.DeleteMetadata(instance, UserMetadata, new MetadataRevision(0, MetadataRevision.Md5Of("a"))), Is.EqualTo(MetadataWriteStatus.Written));
        Assert.That(_index.DeleteMetadata(instance, UserMetadata, null), Is.EqualTo(MetadataWriteStatus.NotFound));
        Assert.That(_index.AllMetadata(instance, ResourceLevel.Instance)!.Select(m => m.Type), Does.Not.Contain(UserMetadata));
    }

    [Test]
    public void WriteMetadata_OnlyUserMetadataAreLoggedAsChanges()
    {
        var instance = Ingest("test_files/CT_small.dcm").InstanceId;
        var before = _index.ReadChanges(0, 100).Last;
        _index.WriteMetadata(instance, (int)MetadataType.RemoteAET, "SYSTEM", null);
        _index.WriteMetadata(instance, UserMetadata, "user", null);
        _index.DeleteMetadata(instance, UserMetadata, null);
        var logged = _index.ReadChanges(before, 100).Entries;
        Assert.That(logged.Select(c => (c.ChangeType, c.ResourceType, c.PublicId)),
            Is.EqualTo(Enumerable.Repeat((ChangeType.UpdatedMetadata, ResourceLevel.Instance, instance), 2)));
    }

    [Test]
    public void ReadChanges_PagesWithDoneAndLast_AsOrthanc()
    {
        Ingest("test_files/CT_small.dcm"); // 4 changes: patient, study, series, instance
        var first = _index.ReadChanges(0, 3);
        Assert.That((first.Entries.Count, first.Done, first.Last), Is.EqualTo((3, false, first.Entries[2].Seq)));
        var rest = _index.ReadChanges(first.Last, 3);
        Assert.That((rest.Entries.Count, rest.Done, rest.Last), Is.EqualTo((1, true, rest.Entries[0].Seq)));
        var exact = _index.ReadChanges(0, 4);
        Assert.That(exact.Done, Is.True, "no entry after a page that ends with the last one");
        var none = _index.ReadChanges(rest.Last, 10);
        Assert.That((none.Entries.Count, none.Done, none.Last), Is.EqualTo((0, true, rest.Last)), "an empty page names the last number given");

        _index.ClearChanges();
        Assert.That(_index.LastChange(), Is.EqualTo(new LogPage<Change>([], true, rest.Last)).Using<LogPage<Change>>((a, b) => a.Entries.Count == b.Entries.Count && a.Done == b.Done && a.Last == b.Last));
        Ingest("test_files/MR_small.dcm");
        Assert.That(_index.LastChange().Entries.Single().Seq, Is.GreaterThan(rest.Last), "numbering goes on after a clear");
    }

    [Test]
    public void Delete_DropsTheChangesOfTheDeletedResources()
    {
        var ct = Ingest("test_files/CT_small.dcm").InstanceId;
        Ingest("test_files/MR_small.dcm");
        _index.Delete(ct);
        var remaining = _index.Changes(0, 100);
        Assert.That(remaining, Has.Count.EqualTo(4));
        Assert.That(remaining.Select(c => _index.LevelOf(c.PublicId)), Has.All.Not.Null, "only changes of resources still there");
    }

    // The events after the given last change and last logged event, in order.
    private List<Change> Events((long Change, long Event) before) => [.. _index.ReadEvents(before.Change, before.Event, 100).Select(e => e.Change)];

    [Test]
    public void Delete_LogsEachDeletedResourceTopDown_ForTheEventsOnly()
    {
        var ct = Ingest("test_files/CT_small.dcm").InstanceId;
        var mr = Ingest("test_files/MR_small.dcm").InstanceId;
        var before = _index.LastEventSequences();
        var chain = new List<string> { ct };
        while (_index.Get(chain[^1])!.ParentId is { } parent)
            chain.Add(parent);

        _index.Delete(ct);

        var deleted = Events(before);
        Assert.That(deleted.Select(c => (c.ChangeType, c.ResourceType, c.PublicId)), Is.EqualTo(new[]
        {
            (ChangeType.Deleted, ResourceLevel.Patient, chain[3]), (ChangeType.Deleted, ResourceLevel.Study, chain[2]),
            (ChangeType.Deleted, ResourceLevel.Series, chain[1]), (ChangeType.Deleted, ResourceLevel.Instance, ct),
        }));
        Assert.That(_index.LastEventSequences().Change, Is.EqualTo(before.Change), "no change logged for deletions, as Orthanc: /changes numbers as it does");
        Assert.That(Events((0, 0)).Where(c => c.ChangeType != ChangeType.Deleted).Select(c => c.PublicId),
            Has.None.AnyOf(chain), "the deleted resources' other changes are gone with them");
        Assert.That(_index.Get(mr), Is.Not.Null);
    }

    [Test]
    public void Delete_WithDeletionsNotLogged_LeavesTheEventLogAlone_AndRaisesNothing()
    {
        var ct = Ingest("test_files/CT_small.dcm").InstanceId;
        var mr = Ingest("test_files/MR_small.dcm").InstanceId;
        var raised = 0;
        _index.EventsCommitted += () => raised++;
        var before = _index.LastEventSequences();

        _index.LogsDeletions = false;
        _index.Delete(ct);
        Assert.That((_index.LastEventSequences(), Events(before).Count, raised), Is.EqualTo((before, 0, 0)));
        Assert.That(_index.Get(ct), Is.Null);

        _index.LogsDeletions = true;
        _index.Delete(mr);
        Assert.That(Events(before).Where(c => c.ChangeType == ChangeType.Deleted).Select(c => c.PublicId), Does.Contain(mr), "logged again once switched back on");
        Assert.That(raised, Is.EqualTo(1));
    }

    [Test]
    public void EventsCommitted_RaisedOncePerCommitThatLogsChangesOrEvents_Only()
    {
        var raised = 0;
        _index.EventsCommitted += () => raised++;
        int RaisedBy(Action action)
        {
            raised = 0;
            action();
            return raised;
        }

        var ct = "";
        Assert.That(RaisedBy(() => ct = Ingest("test_files/CT_small.dcm").InstanceId), Is.EqualTo(1), "a store: four changes, one commit");
        Assert.That(RaisedBy(() => Ingest("test_files/CT_small.dcm")), Is.EqualTo(1), "a copy already stored (an event)");
        Assert.That(RaisedBy(() => _index.WriteMetadata(ct, UserMetadata, "user", null)), Is.EqualTo(1), "user metadata (a change)");
        Assert.That(RaisedBy(() => _index.WriteMetadata(ct, (int)MetadataType.RemoteAET, "SYSTEM", null)), Is.Zero, "system metadata: no change");
        Assert.That(RaisedBy(() => _index.SaveJob("job", "{}")), Is.Zero);
        Assert.That(RaisedBy(() => _index.SaveEventProgress(1, 1)), Is.Zero);
        Assert.That(RaisedBy(() => _index.Delete(ct)), Is.EqualTo(1), "a deletion (events)");
    }

    [Test]
    public void Store_AlreadyStored_LogsAnEventOnly()
    {
        var ct = Ingest("test_files/CT_small.dcm").InstanceId;
        var before = _index.LastEventSequences();

        Assert.That(Ingest("test_files/CT_small.dcm").Status, Is.EqualTo(StoreStatus.AlreadyStored));

        Assert.That(Events(before).Select(c => (c.ChangeType, c.PublicId)), Is.EqualTo(new[] { (ChangeType.AlreadyStored, ct) }));
        Assert.That(_index.LastEventSequences().Change, Is.EqualTo(before.Change), "Orthanc logs no change for a copy already stored: /changes numbers as it does");
    }

    [Test]
    public void Store_RecyclingAndOverwriting_LogTheDeletedResources()
    {
        var limits = new StorageLimits(0, 1, Reject: false);
        var ct = Ingest("test_files/CT_small.dcm", false, limits).InstanceId;
        var before = _index.LastEventSequences();
        var mr = Ingest("test_files/MR_small.dcm", false, limits).InstanceId;
        Assert.That(Events(before).Where(c => c.ChangeType == ChangeType.Deleted).Select(c => c.ResourceType),
            Is.EqualTo(new[] { ResourceLevel.Patient, ResourceLevel.Study, ResourceLevel.Series, ResourceLevel.Instance }), "CT's patient recycled");
        Assert.That(_index.Get(ct), Is.Null);

        before = _index.LastEventSequences();
        Ingest("test_files/MR_small.dcm", true, limits);
        var events = Events(before);
        Assert.That(events.Select(c => c.ChangeType).Take(5),
            Is.EqualTo(new[] { ChangeType.Deleted, ChangeType.Deleted, ChangeType.Deleted, ChangeType.Deleted, ChangeType.NewInstance }),
            "the replaced instance is deleted with the parents it leaves empty, then stored again");
        Assert.That(events[3].PublicId, Is.EqualTo(mr));
    }

    [Test]
    public void Store_OverwritingTheOnlyInstance_ReplacesItsParentsWithTheirChanges()
    {
        var ct = Ingest("test_files/CT_small.dcm").InstanceId;
        var study = _index.Get(_index.Get(ct)!.ParentId!)!.ParentId!;
        Assert.That(_index.SetStable(study, true), Is.True);
        _index.WriteMetadata(study, UserMetadata, "of the old study", null);
        var firstLast = _index.ReadChanges(0, 100).Last;

        var replaced = Ingest("test_files/CT_small.dcm", overwrite: true);
        var changes = _index.ReadChanges(0, 100).Entries;
        Assert.That(changes.Select(c => c.ChangeType),
            Is.EqualTo(new[] { ChangeType.NewInstance, ChangeType.NewSeries, ChangeType.NewStudy, ChangeType.NewPatient }),
            "as in Orthanc: the old hierarchy's changes (its StableStudy too) went with it; its new one is logged again");
        Assert.That(changes[0].Seq, Is.GreaterThan(firstLast));
        Assert.That(_index.IsStable(study), Is.False);
        Assert.That(_index.ReadMetadata(study, ResourceLevel.Study, UserMetadata).Value, Is.Null, "a new study");
        Assert.That(replaced.ReplacedFileUuids, Has.Count.EqualTo(1));
        var statistics = _index.Statistics();
        Assert.That((statistics.Patients, statistics.Studies, statistics.Series, statistics.Instances), Is.EqualTo((1, 1, 1, 1)));
    }

    [Test]
    public void Store_OverwritingOneOfTwoInstances_KeepsTheSeries()
    {
        // Two instances of one series: the dicomdirtests MR files share their series.
        var first = Ingest("test_files/dicomdirtests/98892003/MR700/4467").InstanceId;
        var second = Ingest("test_files/dicomdirtests/98892003/MR700/4648").InstanceId;
        var series = _index.Get(first)!.ParentId!;
        Assert.That(_index.Get(second)!.ParentId, Is.EqualTo(series));
        var before = _index.ReadChanges(0, 100).Entries.Count;

        Ingest("test_files/dicomdirtests/98892003/MR700/4467", overwrite: true);
        var changes = _index.ReadChanges(0, 100).Entries;
        Assert.That(changes, Has.Count.EqualTo(before), "the old copy's NewInstance goes, the new copy's comes; the series' stay");
        Assert.That(changes[^1].ChangeType, Is.EqualTo(ChangeType.NewInstance));
        Assert.That(_index.Children(series)!.Value.Children, Is.EqualTo(new[] { second, first }), "the overwritten copy is the newest child");
    }

    [Test]
    public void Open_Version1Index_IsUpgradedToTheLatestKeepingChangesAndNumbering()
    {
        var folder = Directory.CreateTempSubdirectory("index-v1-");
        try
        {
            using (var connection = new SqliteConnection($"Data Source={Path.Combine(folder.FullName, "index.sqlite")};Pooling=false"))
            {
                connection.Open();
                connection.Execute("""
                    CREATE TABLE GlobalProperties(property INTEGER PRIMARY KEY, value TEXT);
                    INSERT INTO GlobalProperties VALUES (1, '1');
                    CREATE TABLE Resources(internalId INTEGER PRIMARY KEY AUTOINCREMENT, resourceType INTEGER NOT NULL,
                        publicId TEXT NOT NULL UNIQUE, parentId INTEGER REFERENCES Resources(internalId) ON DELETE CASCADE, isStable INTEGER NOT NULL DEFAULT 0);
                    CREATE TABLE Metadata(id INTEGER REFERENCES Resources(internalId) ON DELETE CASCADE, type INTEGER, value TEXT, PRIMARY KEY(id, type));
                    CREATE TABLE Changes(seq INTEGER PRIMARY KEY AUTOINCREMENT, changeType INTEGER, resourceType INTEGER, publicId TEXT, date TEXT);
                    INSERT INTO Resources(resourceType, publicId) VALUES (0, 'patient-a');
                    INSERT INTO Metadata VALUES (1, 7, '20260101T000000');
                    INSERT INTO Changes(changeType, resourceType, publicId, date) VALUES (3, 0, 'patient-a', '20260101T000000');
                    INSERT INTO Changes(changeType, resourceType, publicId, date) VALUES (3, 0, 'patient-gone', '20260101T000000');
                    """);
            }

            using var index = SqliteIndex.Open(folder.FullName);
            var changes = index.ReadChanges(0, 10);
            Assert.That(changes.Entries.Select(c => (c.Seq, c.ChangeType, c.PublicId)), Is.EqualTo(new[] { (1L, ChangeType.NewPatient, "patient-a") }));
            Assert.That(index.LastChange().Last, Is.EqualTo(1));
            index.ClearChanges();
            Assert.That(index.LastChange().Last, Is.EqualTo(2), "the numbering continues after the deleted resource's change");
            Assert.That(index.ReadMetadata("patient-a", ResourceLevel.Patient, (int)MetadataType.LastUpdate), Is.EqualTo(new MetadataRead(true, "20260101T000000", 0)));
            index.SaveJob("job-1", "{}");
            Assert.That(index.SavedJobs(), Is.EqualTo(new[] { ("job-1", "{}") }), "the jobs table of version 3 exists");
            index.Delete("patient-a");
            Assert.That(index.ReadEvents(2, 0, 10).Select(e => (e.Change.ChangeType, e.Change.PublicId)), Is.EqualTo(new[] { (ChangeType.Deleted, "patient-a") }),
                "version 5's event log keeps a deleted resource's id");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    [Test]
    public void Open_Version3Index_IdentifiersGainTheirUpperCasedCopy()
    {
        PydicomCorpus.Require();
        var dataset = DicomFile.Open(PydicomCorpus.FullPath("test_files/CT_small.dcm")).Dataset;
        var folder = Directory.CreateTempSubdirectory("index-v3-");
        try
        {
            using (var index = SqliteIndex.Open(folder.FullName))
                index.Store(InstanceToIndex.Create(dataset, new StoredFile("uuid-1", 1, 1, "", false), new Dictionary<int, string>()), overwrite: false);
            using (var connection = new SqliteConnection($"Data Source={Path.Combine(folder.FullName, "index.sqlite")};Pooling=false"))
            {
                // What version 3 had: identifiers without their upper-cased copy.
                connection.Open();
                connection.Execute("""
                    DROP INDEX DicomIdentifiersFolded;
                    CREATE TABLE Old AS SELECT id, tag, value FROM DicomIdentifiers;
                    DROP TABLE DicomIdentifiers;
                    ALTER TABLE Old RENAME TO DicomIdentifiers;
                    UPDATE GlobalProperties SET value = '3' WHERE property = 1;
                    """);
            }

            using var upgraded = SqliteIndex.Open(folder.FullName);
            var patientId = dataset.GetString(DicomTags.PatientID)!;
            Assert.That(patientId.ToLowerInvariant(), Is.Not.EqualTo(patientId), "the test needs letters in the ID");
            var found = upgraded.ResourcesAround(ResourceLevel.Patient, DicomTags.PatientID, [patientId.ToLowerInvariant()], caseSensitive: false, new ScopeReach(ResourceLevel.Patient));
            Assert.That(found.Select(r => r.Level), Is.EqualTo(new[] { ResourceLevel.Patient }));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    [Test]
    public void KeyValues_SurviveReopening_PerStore()
    {
        var folder = Directory.CreateTempSubdirectory("key-values-");
        try
        {
            using (var index = SqliteIndex.Open(folder.FullName))
            {
                index.StoreKeyValue("a", "k", [1, 2]);
                index.StoreKeyValue("b", "k", [3]);
                index.StoreKeyValue("a", "gone", [4]);
                Assert.That(index.DeleteKeyValue("a", "gone"), Is.True);
                Assert.That(index.DeleteKeyValue("a", "gone"), Is.False);
            }

            using var reopened = SqliteIndex.Open(folder.FullName);
            Assert.That((reopened.GetKeyValue("a", "k"), reopened.GetKeyValue("b", "k"), reopened.GetKeyValue("a", "gone")),
                Is.EqualTo((new byte[] { 1, 2 }, new byte[] { 3 }, (byte[]?)null)));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    [Test]
    public void GlobalSequence_CountsFromOne_AndSurvivesReopening()
    {
        var folder = Directory.CreateTempSubdirectory("global-sequence-");
        try
        {
            using (var index = SqliteIndex.Open(folder.FullName))
            {
                Assert.That(index.IncrementGlobalSequence(GlobalProperty.AnonymizationSequence), Is.EqualTo(1));
                Assert.That(index.IncrementGlobalSequence(GlobalProperty.AnonymizationSequence), Is.EqualTo(2));
            }

            using var reopened = SqliteIndex.Open(folder.FullName);
            Assert.That(reopened.IncrementGlobalSequence(GlobalProperty.AnonymizationSequence), Is.EqualTo(3));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }
}
