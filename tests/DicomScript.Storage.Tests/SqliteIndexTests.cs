using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Storage.Files;
using DicomScript.Storage.Identifiers;
using DicomScript.Storage.Index;
using NUnit.Framework;

namespace DicomScript.Storage.Tests;

[TestFixture]
[NonParallelizable]
public partial class SqliteIndexTests
{
    private DirectoryInfo _folder = null!;
    private StorageArea _storage = null!;
    private SqliteIndex _index = null!;

    [SetUp]
    public void Open()
    {
        PydicomCorpus.Require();
        _folder = Directory.CreateTempSubdirectory("index-");
        _storage = new StorageArea(Path.Combine(_folder.FullName, "files"), compress: false);
        _index = SqliteIndex.Open(_folder.FullName);
    }

    [TearDown]
    public void Close()
    {
        _index.Dispose();
        _folder.Delete(recursive: true);
    }

    private StoreOutcome Ingest(string file, bool overwrite = false) => Ingest(file, overwrite, StorageLimits.None);

    private StoreOutcome Ingest(string file, bool overwrite, StorageLimits limits)
    {
        var bytes = File.ReadAllBytes(PydicomCorpus.FullPath(file));
        var stored = _storage.Write(bytes);
        var parsed = DicomFile.Parse(bytes);
        var metadata = new Dictionary<int, string>
        {
            [(int)MetadataType.Origin] = "Test",
            [(int)MetadataType.TransferSyntax] = parsed.TransferSyntax.Uid,
            [(int)MetadataType.SopClassUid] = parsed.Dataset.GetString(DicomTags.SOPClassUID) ?? "",
        };
        StoreOutcome outcome;
        try
        {
            outcome = _index.Store(InstanceToIndex.Create(parsed.Dataset, stored, metadata), overwrite, limits);
        }
        catch (StorageFullException)
        {
            _storage.Remove(stored.Uuid);
            throw;
        }

        foreach (var uuid in outcome.RecycledFileUuids.Concat(outcome.ReplacedFileUuids))
            _storage.Remove(uuid);
        if (outcome.Status == StoreStatus.AlreadyStored)
            _storage.Remove(stored.Uuid);
        return outcome;
    }

    [Test]
    public void Store_Instance_ResourcesTagsParentsAndChanges()
    {
        var outcome = Ingest("test_files/CT_small.dcm");
        Assert.That((outcome.Status, outcome.InstanceId, outcome.ReplacedFileUuids.Count, outcome.RecycledFileUuids.Count),
            Is.EqualTo((StoreStatus.Success, "f689ddd2-662f8fe1-8b18180d-ec2a2cee-937917af", 0, 0)));

        var instance = _index.Get(outcome.InstanceId)!;
        Assert.That(instance.Level, Is.EqualTo(ResourceLevel.Instance));
        Assert.That(instance.ParentId, Is.EqualTo("93034833-163e42c3-bc9a428b-194620cf-2c5799e5"));
        Assert.That(instance.MainTags[DicomTags.SOPInstanceUID], Is.EqualTo("1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322"));
        Assert.That(instance.Metadata[(int)MetadataType.Origin], Is.EqualTo("Test"));
        var patient = _index.Get("fa558bce-587a86d3-ad0da9b3-9d043d9d-4f5c5718")!;
        Assert.That(patient.MainTags[DicomTags.PatientName], Is.EqualTo("CompressedSamples^CT1"));
        Assert.That(patient.ChildrenIds, Is.EqualTo(new[] { "8a8cf898-ca27c490-d0c7058c-929d0581-2bbf104d" }));
        Assert.That(patient.Metadata[(int)MetadataType.LastUpdate], Does.Match(@"^\d{8}T\d{6}$"));
        Assert.That(_index.Changes(0, 100).Select(c => c.ChangeType),
            Is.EqualTo(new[] { ChangeType.NewInstance, ChangeType.NewSeries, ChangeType.NewStudy, ChangeType.NewPatient }), "bottom-up, as Orthanc logs them");
        var file = _index.GetDicomFile(outcome.InstanceId)!;
        Assert.That(_storage.Read(file.Uuid), Is.EqualTo(File.ReadAllBytes(PydicomCorpus.FullPath("test_files/CT_small.dcm"))));
    }

    [Test]
    public void Store_SameInstanceTwice_AlreadyStoredUnlessOverwriting()
    {
        Ingest("test_files/MR_small.dcm");
        Assert.That(Ingest("test_files/MR_small_implicit.dcm").Status, Is.EqualTo(StoreStatus.AlreadyStored), "same SOP instance, other syntax");
        Assert.That(_index.Changes(0, 100), Has.Count.EqualTo(4), "nothing logged for the second copy");

        var replaced = Ingest("test_files/MR_small_bigendian.dcm", overwrite: true);
        Assert.That(replaced.Status, Is.EqualTo(StoreStatus.Success));
        Assert.That(replaced.ReplacedFileUuids, Has.Count.EqualTo(1));
        Assert.That(_index.Statistics().Instances, Is.EqualTo(1));
        Assert.That(Directory.EnumerateFiles(_storage.Root, "*", SearchOption.AllDirectories).Count(), Is.EqualTo(1), "the replaced file is gone");
    }

    [Test]
    public void Delete_OnlyInstance_RemovesTheWholePatient()
    {
        var outcome = Ingest("test_files/CT_small.dcm");
        var deleted = _index.Delete(outcome.InstanceId)!;
        Assert.That(deleted.FileUuids, Has.Count.EqualTo(1));
        Assert.That(deleted.RemainingAncestor, Is.Null);
        Assert.That(_index.Statistics(), Is.EqualTo(new IndexStatistics(0, 0, 0, 0, 0, 0)));
        Assert.That(_index.Delete(outcome.InstanceId), Is.Null, "a second delete finds nothing");
    }

    [Test]
    public void Delete_Study_RemainingAncestorIsThePatientWithOtherStudies()
    {
        // Two studies of one patient: the dicomdirtests CT files share patient 77654033.
        var first = Ingest("test_files/dicomdirtests/77654033/CT2/17106");
        var second = Ingest("test_files/dicomdirtests/77654033/CR1/6154");
        var firstStudy = _index.Get(_index.Get(first.InstanceId)!.ParentId!)!.ParentId!;
        Assert.That(firstStudy, Is.Not.EqualTo(_index.Get(_index.Get(second.InstanceId)!.ParentId!)!.ParentId));

        var deleted = _index.Delete(firstStudy)!;
        Assert.That(deleted.RemainingAncestor?.Level, Is.EqualTo(ResourceLevel.Patient));
        Assert.That(_index.Get(second.InstanceId), Is.Not.Null);
        Assert.That(_index.Get(first.InstanceId), Is.Null);
    }

    [Test]
    public void GetMany_SameAsGetForEach_UnknownLeftOut()
    {
        var first = Ingest("test_files/dicomdirtests/98892003/MR2/4950");
        var second = Ingest("test_files/CT_small.dcm");
        var instance = _index.Get(first.InstanceId)!;
        var ids = new[] { first.InstanceId, instance.ParentId!, second.InstanceId, "no-such-resource" };
        var many = _index.GetMany(ids);
        Assert.That(many.Keys, Is.EquivalentTo(ids[..3]));
        foreach (var id in ids[..3])
        {
            var (one, batched) = (_index.Get(id)!, many[id]);
            Assert.That((batched.Level, batched.ParentId, batched.IsStable), Is.EqualTo((one.Level, one.ParentId, one.IsStable)), id);
            Assert.That(batched.ChildrenIds, Is.EqualTo(one.ChildrenIds), id);
            Assert.That(batched.MainTags, Is.EquivalentTo(one.MainTags), id);
            Assert.That(batched.Metadata, Is.EquivalentTo(one.Metadata), id);
        }

        Assert.That(many[instance.ParentId!].ChildrenIds, Is.EqualTo(new[] { first.InstanceId }));
        Assert.That(many[first.InstanceId].MainTags, Is.Not.Empty);
        Assert.That(many[first.InstanceId].Metadata, Is.Not.Empty);
    }

    [Test]
    public void MarkStable_OnceEach_AgainAfterANewInstance()
    {
        var first = Ingest("test_files/dicomdirtests/98892003/MR2/4950");
        var series = _index.Get(first.InstanceId)!.ParentId!;
        Assert.That(_index.IsStable(series), Is.False);
        Assert.That(_index.MarkStable("19700101T000000"), Is.Empty, "not old enough");

        var future = DateTime.UtcNow.AddDays(1).ToString("yyyyMMdd'T'HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var stable = _index.MarkStable(future);
        Assert.That(stable.Select(c => c.ChangeType), Is.EqualTo(new[] { ChangeType.StableSeries, ChangeType.StableStudy, ChangeType.StablePatient }));
        Assert.That(stable[0].PublicId, Is.EqualTo(series));
        Assert.That(_index.IsStable(series), Is.True);
        Assert.That((_index.Get(series)!.IsStable, _index.Get(first.InstanceId)!.IsStable), Is.EqualTo((true, true)), "as Get reports it");
        Assert.That(_index.MarkStable(future), Is.Empty, "logged once");

        var second = Ingest("test_files/dicomdirtests/98892003/MR2/4981"); // same series
        Assert.That(_index.Get(second.InstanceId)!.ParentId, Is.EqualTo(series));
        Assert.That(_index.IsStable(series), Is.False);
        Assert.That((_index.Get(series)!.IsStable, _index.Get(second.InstanceId)!.IsStable), Is.EqualTo((false, true)), "an instance is always stable");
        Assert.That(_index.MarkStable(future).Select(c => c.ChangeType), Is.EqualTo(new[] { ChangeType.StableSeries, ChangeType.StableStudy, ChangeType.StablePatient }));
    }

    [Test]
    public void Open_SwitchesSqliteAllocationStatisticsOff_WhenFirstToUseSqlite()
    {
        Ingest("test_files/rtplan.dcm");
        var configured = SqliteIndex.EnsureSqliteConfigured();
        if (configured == 0)
            Assert.That(SQLitePCL.raw.sqlite3_memory_used(), Is.Zero, "no counting: nothing is counted");
        else
            Assert.That(configured, Is.EqualTo(SQLitePCL.raw.SQLITE_MISUSE), "refused only because SQLite was in use before the first index opened");
    }

    [Test]
    public void Open_KeepsThePageSizeOfAFileMadeBefore_AndItsWalLengthInBytes()
    {
        _index.Dispose();
        var folder = _folder.CreateSubdirectory("old");
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(folder.FullName, "index.sqlite")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA page_size=4096; CREATE TABLE Earlier(x); VACUUM;";
            command.ExecuteNonQuery();
        }

        _index = SqliteIndex.Open(folder.FullName);
        Assert.That(_index.Pragma("page_size"), Is.EqualTo("4096"));
        Assert.That(_index.Pragma("wal_autocheckpoint"), Is.EqualTo((SqliteIndex.WalAutoCheckpointBytes / 4096).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var outcome = Ingest("test_files/rtplan.dcm");
        Assert.That(_index.Get(outcome.InstanceId), Is.Not.Null);
    }

    [Test]
    public void Reopen_IndexPersistsInWalMode()
    {
        var outcome = Ingest("test_files/rtplan.dcm");
        Assert.That(_index.Pragma("journal_mode"), Is.EqualTo("wal"));
        Assert.That(_index.Pragma("page_size"), Is.EqualTo(SqliteIndex.NewIndexPageSize.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(_index.Pragma("wal_autocheckpoint"), Is.EqualTo((SqliteIndex.WalAutoCheckpointBytes / SqliteIndex.NewIndexPageSize).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(() => _index.Pragma("journal_mode; DROP TABLE Resources"), Throws.ArgumentException);
        Assert.That(_index.Pragma("synchronous"), Is.EqualTo("1"), "NORMAL: a commit survives a killed process");
        _index.Dispose();
        _index = SqliteIndex.Open(_folder.FullName, durable: true);
        Assert.That(_index.Pragma("synchronous"), Is.EqualTo("2"), "FULL: a commit survives a power loss");
        Assert.That(_index.Get(outcome.InstanceId), Is.Not.Null);
        Assert.That(_index.InstanceSummariesOf(_index.List(ResourceLevel.Patient).Single()).Select(i => i.PublicId), Is.EqualTo(new[] { outcome.InstanceId }));
    }

    [Test]
    public void Open_WhileAnotherHoldsTheIndex_RefusedClearly_AndFreeOnceClosed()
    {
        var outcome = Ingest("test_files/rtplan.dcm");
        var refused = Assert.Throws<IOException>(() => SqliteIndex.Open(_folder.FullName))!;
        Assert.That(refused.Message, Does.Contain("in use by another process"));
        Assert.That(_index.Get(outcome.InstanceId), Is.Not.Null, "the holder goes on");
        _index.Dispose();
        _index = SqliteIndex.Open(_folder.FullName);
        Assert.That(_index.Get(outcome.InstanceId), Is.Not.Null);
    }

    [Test]
    public void Store_SeriesMetadata_SetByTheInstanceThatCreatesTheSeriesOnly()
    {
        InstanceToIndex Instance(string file, string remoteAet)
        {
            var bytes = File.ReadAllBytes(PydicomCorpus.FullPath(file));
            return InstanceToIndex.Create(DicomFile.Parse(bytes).Dataset, _storage.Write(bytes), new Dictionary<int, string>()) with
            {
                SeriesMetadata = new Dictionary<int, string> { [(int)MetadataType.RemoteAET] = remoteAet },
            };
        }

        var first = _index.Store(Instance("test_files/dicomdirtests/98892003/MR2/4950", "FIRST"), overwrite: false);
        _index.Store(Instance("test_files/dicomdirtests/98892003/MR2/4981", "SECOND"), overwrite: false);
        var series = _index.Get(first.InstanceId)!.ParentId!;
        Assert.That(_index.GetMetadata(series, MetadataType.RemoteAET), Is.EqualTo("FIRST"));
        Assert.That(_index.GetMetadata(first.InstanceId, MetadataType.RemoteAET), Is.Null, "series metadata stays on the series");
    }

    private static readonly string[] FourPatients = ["test_files/CT_small.dcm", "test_files/MR_small.dcm", "test_files/rtplan.dcm", "test_files/JPEG2000.dcm"];

    private string PatientOf(StoreOutcome outcome) => _index.Get(_index.Get(_index.Get(_index.Get(outcome.InstanceId)!.ParentId!)!.ParentId!)!.ParentId!)!.PublicId;

    [Test]
    public void Store_MaximumPatientCount_OldestPatientRecycledWithItsFiles()
    {
        var limits = new StorageLimits(0, 2, Reject: false);
        var outcomes = FourPatients.Select(f => Ingest(f, false, limits)).ToList();
        Assert.That(_index.List(ResourceLevel.Patient), Is.EqualTo(new[] { PatientOf(outcomes[2]), PatientOf(outcomes[3]) }));
        Assert.That(outcomes[2].RecycledFileUuids, Has.Count.EqualTo(1), "storing the third patient recycles the first");
        Assert.That(_storage.AllUuids().Count(), Is.EqualTo(2), "the recycled files are gone");
    }

    [Test]
    public void Store_NewInstanceOfAnOldPatient_MakesItTheMostRecent()
    {
        var limits = new StorageLimits(0, 2, Reject: false);
        var ct = Ingest("test_files/CT_small.dcm", false, limits);
        Ingest("test_files/MR_small.dcm", false, limits);
        Ingest("test_files/CT_small.dcm", true, limits); // CT's patient again: now the most recent
        Ingest("test_files/rtplan.dcm", false, limits);
        Assert.That(_index.List(ResourceLevel.Patient), Does.Contain(PatientOf(ct)).And.Count.EqualTo(2));
    }

    [Test]
    public void Store_ProtectedPatient_NeverRecycledAndStaysProtected()
    {
        var limits = new StorageLimits(0, 2, Reject: false);
        var kept = Ingest("test_files/dicomdirtests/98892003/MR700/4467", false, limits);
        Assert.That(_index.SetProtected(PatientOf(kept), true), Is.True);
        // More instances into the protected patient, a new copy of one among them, keep it protected
        // (overwriting a patient's only instance replaces the patient, unprotected, as in Orthanc).
        Ingest("test_files/dicomdirtests/98892003/MR700/4648", false, limits);
        Ingest("test_files/dicomdirtests/98892003/MR700/4467", true, limits);
        Assert.That(_index.IsProtected(PatientOf(kept)), Is.True);
        var mrPatient = PatientOf(Ingest(FourPatients[1], false, limits));
        Ingest(FourPatients[2], false, limits);
        Assert.That(_index.List(ResourceLevel.Patient), Does.Contain(PatientOf(kept)).And.Not.Contain(mrPatient));
        Assert.That(_index.SetProtected("unknown", true), Is.False);
        Assert.That(_index.IsProtected("unknown"), Is.Null);
    }

    [Test]
    public void Store_FullAndNothingToRecycle_RefusedAndNothingChanges()
    {
        var limits = new StorageLimits(0, 1, Reject: false);
        var ct = Ingest(FourPatients[0], false, limits);
        _index.SetProtected(PatientOf(ct), true);
        var changes = _index.Changes(0, 1000).Count;
        Assert.Throws<StorageFullException>(() => Ingest(FourPatients[1], false, limits));
        Assert.That(_index.List(ResourceLevel.Patient), Is.EqualTo(new[] { PatientOf(ct) }));
        Assert.That(_index.Statistics().Instances, Is.EqualTo(1));
        Assert.That(_index.Changes(0, 1000), Has.Count.EqualTo(changes), "the refused store left no change behind");
        Assert.That(_storage.AllUuids().Count(), Is.EqualTo(1));
    }

    [Test]
    public void Store_RejectMode_RefusesInsteadOfRecycling()
    {
        var limits = new StorageLimits(0, 1, Reject: true);
        var ct = Ingest(FourPatients[0], false, limits);
        Assert.Throws<StorageFullException>(() => Ingest(FourPatients[1], false, limits));
        Ingest(FourPatients[0], true, limits); // the same patient still fits
        Assert.That(_index.List(ResourceLevel.Patient), Is.EqualTo(new[] { PatientOf(ct) }));
    }

    [Test]
    public void Store_MaximumStorageSize_RecyclesUntilTheNewFileFits()
    {
        string[] smallFirst = ["test_files/rtplan.dcm", "test_files/JPEG2000.dcm", "test_files/MR_small.dcm", "test_files/CT_small.dcm"];
        var sizes = smallFirst.Select(f => new FileInfo(PydicomCorpus.FullPath(f)).Length).ToList();
        // Room for the last two files only.
        var limits = new StorageLimits(sizes[2] + sizes[3] + 1, 0, Reject: false);
        var outcomes = smallFirst.Select(f => Ingest(f, false, limits)).ToList();
        Assert.That(_index.List(ResourceLevel.Patient), Is.EqualTo(new[] { PatientOf(outcomes[2]), PatientOf(outcomes[3]) }));
        Assert.That(_index.Statistics().TotalDiskSize, Is.LessThanOrEqualTo(limits.MaximumBytes));
        Assert.Throws<StorageFullException>(() => Ingest(smallFirst[3], true, new StorageLimits(sizes[3] - 1, 0, Reject: false)), "larger than the whole area");
    }

    [Test]
    public void Recycle_LimitLowered_AppliesAtOnce()
    {
        FourPatients.ToList().ForEach(f => Ingest(f));
        Assert.That(_index.Recycle(new StorageLimits(0, 1, Reject: true)), Is.Empty, "Reject mode never deletes by itself");
        Assert.That(_index.Statistics().Patients, Is.EqualTo(4));
        var files = _index.Recycle(new StorageLimits(0, 1, Reject: false));
        Assert.That(files, Has.Count.EqualTo(3));
        Assert.That(_index.Statistics().Patients, Is.EqualTo(1));
    }

    [TestCase("1", "2", "Complete", true)]
    [TestCase("1", "1", "Inconsistent", false)]
    [TestCase("1", "3", "Inconsistent", false)]
    [TestCase("1", "x", "Unknown", false)]
    public void Store_ExpectedInstancesReached_CompletedSeriesLogged(string firstIndex, string secondIndex, string status, bool completed)
    {
        StoreOutcome Store(string file, string indexInSeries)
        {
            var bytes = File.ReadAllBytes(PydicomCorpus.FullPath(file));
            return _index.Store(InstanceToIndex.Create(DicomFile.Parse(bytes).Dataset, _storage.Write(bytes),
                new Dictionary<int, string> { [(int)MetadataType.IndexInSeries] = indexInSeries }) with
            {
                ExpectedInstances = 2,
                SeriesMetadata = new Dictionary<int, string> { [(int)MetadataType.ExpectedNumberOfInstances] = "2" },
            }, overwrite: false);
        }

        var first = Store("test_files/dicomdirtests/98892003/MR2/4950", firstIndex);
        var series = _index.Get(first.InstanceId)!.ParentId!;
        Assert.That(_index.SeriesStatus(series), Is.EqualTo("Missing"));
        Store("test_files/dicomdirtests/98892003/MR2/4981", secondIndex);
        Assert.That(_index.SeriesStatus(series), Is.EqualTo(status));
        var logged = _index.Changes(0, 1000).Where(c => c.ChangeType == ChangeType.CompletedSeries).ToList();
        Assert.That(logged.Select(c => c.PublicId), Is.EqualTo(completed ? new[] { series } : Array.Empty<string>()));
        Assert.That(_index.SeriesStatus("unknown"), Is.EqualTo("Unknown"));
    }

    [Test]
    public void LookupIdentifier_ExactValueAtItsLevelOnly()
    {
        var ct = Ingest("test_files/CT_small.dcm");
        Ingest("test_files/MR_small.dcm");
        var study = _index.Get(_index.Get(ct.InstanceId)!.ParentId!)!.ParentId!;
        var uid = DicomFile.Open(PydicomCorpus.FullPath("test_files/CT_small.dcm")).Dataset.GetString(DicomTags.StudyInstanceUID)!;
        Assert.That(_index.LookupIdentifier(ResourceLevel.Study, DicomTags.StudyInstanceUID, uid), Is.EqualTo(new[] { study }));
        Assert.That(_index.LookupIdentifier(ResourceLevel.Series, DicomTags.StudyInstanceUID, uid), Is.Empty, "wrong level");
        Assert.That(_index.LookupIdentifier(ResourceLevel.Study, DicomTags.StudyInstanceUID, uid[..^1]), Is.Empty, "prefix");
        Assert.That(_index.LookupIdentifier(ResourceLevel.Patient, DicomTags.PatientID, "1CT1"), Has.Count.EqualTo(1));
    }

    [Test]
    public void InstanceSummariesOf_EveryInstanceBelowWithWhatSendingNeeds()
    {
        string[] files = ["test_files/JPEG2000.dcm", "test_files/JPEG-lossy.dcm", "test_files/CT_small.dcm"];
        var outcomes = files.Select(f => Ingest(f)).ToList();
        var study = _index.Get(_index.Get(outcomes[0].InstanceId)!.ParentId!)!.ParentId!;

        var summaries = _index.InstanceSummariesOf(study);
        Assert.That(summaries.Select(s => s.PublicId), Is.EqualTo(outcomes.Take(2).Select(o => o.InstanceId)), "the study's two instances, oldest first");
        for (var i = 0; i < 2; i++)
        {
            var file = DicomFile.Open(PydicomCorpus.FullPath(files[i]));
            Assert.That(summaries[i].SopInstanceUid, Is.EqualTo(file.Dataset.GetString(DicomTags.SOPInstanceUID)));
            Assert.That(summaries[i].SopClassUid, Is.EqualTo(file.Dataset.GetString(DicomTags.SOPClassUID)));
            Assert.That(summaries[i].TransferSyntaxUid, Is.EqualTo(file.TransferSyntax.Uid));
            Assert.That(summaries[i].FileUuid, Is.EqualTo(_index.GetDicomFile(summaries[i].PublicId)!.Uuid));
        }

        Assert.That(_index.InstanceSummariesOf(outcomes[2].InstanceId).Single().PublicId, Is.EqualTo(outcomes[2].InstanceId), "an instance is its own summary");
        Assert.That(_index.InstanceSummariesOf("unknown"), Is.Empty);
    }

    [Test]
    public void GetMetadata_OneValue_NullWhenAbsent()
    {
        var outcome = Ingest("test_files/CT_small.dcm");
        Assert.That(_index.GetMetadata(outcome.InstanceId, MetadataType.Origin), Is.EqualTo("Test"));
        Assert.That(_index.GetMetadata(outcome.InstanceId, MetadataType.RemoteAET), Is.Null, "not given at store time here");
        Assert.That(_index.GetMetadata("no-such-resource", MetadataType.Origin), Is.Null);
    }

    [Test]
    public void StoreCorpus_SameResourcesAndCountsAsOrthanc()
    {
        ExternalTools.Require("/usr/sbin/Orthanc", "orthanc");
        using var orthanc = OrthancServer.Start();
        foreach (var file in DicomScript.Dicom.Tests.Corpus.CorpusReadTests.ValidFiles())
        {
            var (id, _) = orthanc.Upload(File.ReadAllBytes(PydicomCorpus.FullPath(file)));
            try
            {
                var outcome = Ingest(file);
                Assert.That(id, Is.Not.Null, $"{file}: we stored what Orthanc refused");
                Assert.That(outcome.InstanceId, Is.EqualTo(id));
            }
            catch (MissingIdentifierException)
            {
                Assert.That(id, Is.Null, $"{file}: Orthanc stored what we refused");
            }
        }

        var statistics = orthanc.GetJson("statistics");
        var ours = _index.Statistics();
        Assert.That(ours.Patients, Is.EqualTo(statistics["CountPatients"]!.GetValue<int>()));
        Assert.That(ours.Studies, Is.EqualTo(statistics["CountStudies"]!.GetValue<int>()));
        Assert.That(ours.Series, Is.EqualTo(statistics["CountSeries"]!.GetValue<int>()));
        Assert.That(ours.Instances, Is.EqualTo(statistics["CountInstances"]!.GetValue<int>()));
        foreach (var (level, route) in new[] { (ResourceLevel.Patient, "patients"), (ResourceLevel.Study, "studies"), (ResourceLevel.Series, "series"), (ResourceLevel.Instance, "instances") })
            Assert.That(_index.List(level), Is.EquivalentTo(orthanc.GetJson(route).AsArray().Select(n => n!.GetValue<string>())), route);
        Assert.That(ours.TotalUncompressedSize, Is.EqualTo(long.Parse(statistics["TotalUncompressedSize"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)));
    }
}
