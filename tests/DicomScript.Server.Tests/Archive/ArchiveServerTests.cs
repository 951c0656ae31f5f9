using System.Globalization;
using System.Net;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Server.Configuration;
using DicomScript.Storage.Identifiers;
using DicomScript.Storage.Index;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace DicomScript.Server.Tests.Archive;

/// <summary>The archive in process, fed by dcmtk's storescu.</summary>
[TestFixture]
[NonParallelizable]
public class ArchiveServerTests
{
    private DirectoryInfo _folder = null!;
    private DicomScriptServer _server = null!;

    [SetUp]
    public void Start()
    {
        PydicomCorpus.Require();
        _folder = Directory.CreateTempSubdirectory("archive-");
        _server = Create();
        _server.Start();
    }

    [TearDown]
    public async Task Stop()
    {
        await _server.DisposeAsync();
        _folder.Delete(recursive: true);
    }

    private DicomScriptServer Create(int stableAge = 1, string extraJson = "")
    {
        var config = Path.Combine(_folder.FullName, "orthanc.json");
        File.WriteAllText(config, $$"""{ "DicomAet": "ARCHIVE", "DicomPort": 0, "StorageDirectory": "storage", "StableAge": {{stableAge}}, "DicomAlwaysAllowFind": true {{extraJson}} }""");
        return DicomScriptServer.Create(ConfigurationLoader.Load(config), NullLoggerFactory.Instance, bindAddress: IPAddress.Loopback);
    }

    private (int Exit, string Output) Storescu(params string[] files)
    {
        var storescu = ExternalTools.Require("storescu", "dcmtk");
        var (exit, output, error) = ExternalTools.Run(storescu, ["-v", "-R", "-aet", "MODALITY", "-aec", "ARCHIVE", "127.0.0.1",
            _server.DicomPort.ToString(CultureInfo.InvariantCulture), .. files]);
        return (exit, output + error);
    }

    [Test]
    public void Echoscu_Archive_Succeeds()
    {
        var echoscu = ExternalTools.Require("echoscu", "dcmtk");
        Assert.That(ExternalTools.Run(echoscu, ["-aec", "ARCHIVE", "127.0.0.1", _server.DicomPort.ToString(CultureInfo.InvariantCulture)]).ExitCode, Is.Zero);
    }

    [Test]
    public async Task CStore_FullInRejectMode_RefusedOutOfResourcesNothingStored()
    {
        await _server.DisposeAsync();
        _server = Create(extraJson: ", \"MaximumPatientCount\": 1, \"MaximumStorageMode\": \"Reject\"");
        _server.Start();
        var (_, output) = Storescu(PydicomCorpus.FullPath("test_files/CT_small.dcm"), PydicomCorpus.FullPath("test_files/MR_small.dcm"));
        Assert.That(output, Does.Contain("Refused: OutOfResources"));
        Assert.That(_server.Index.Statistics().Patients, Is.EqualTo(1));
        Assert.That(_server.Storage.AllUuids().Count(), Is.EqualTo(1), "the refused file is not left behind");
    }

    [Test]
    public async Task SyncStorageArea_FilesAndIndexCommitsSynced()
    {
        Assert.That((_server.Storage.Durable, _server.Index.Pragma("synchronous")), Is.EqualTo((false, "1")), "off by default");
        await _server.DisposeAsync();
        _server = Create(extraJson: ", \"SyncStorageArea\": true");
        _server.Start();
        Assert.That((_server.Storage.Durable, _server.Index.Pragma("synchronous")), Is.EqualTo((true, "2")));
        var (exit, output) = Storescu(PydicomCorpus.FullPath("test_files/CT_small.dcm"));
        Assert.That(exit, Is.Zero, output);
        Assert.That(_server.Index.Statistics().Instances, Is.EqualTo(1));
    }

    [Test]
    public async Task Restart_LimitLowered_OldestPatientsRecycledAtStart()
    {
        var (exit, output) = Storescu([.. new[] { "CT_small.dcm", "MR_small.dcm", "rtplan.dcm" }.Select(f => PydicomCorpus.FullPath("test_files/" + f))]);
        Assert.That(exit, Is.Zero, output);
        var newest = _server.Index.List(ResourceLevel.Patient)[^1];
        await _server.DisposeAsync();
        _server = Create(extraJson: ", \"MaximumPatientCount\": 1");
        Assert.That(_server.Index.List(ResourceLevel.Patient), Is.EqualTo(new[] { newest }));
        Assert.That(_server.Storage.AllUuids().Count(), Is.EqualTo(1));
    }

    [Test]
    public void CStore_Instances_IndexedWithOrthancMetadataAndFilesIntact()
    {
        string[] files = ["test_files/CT_small.dcm", "test_files/MR_small.dcm", "test_files/rtplan.dcm"];
        var (exit, output) = Storescu([.. files.Select(PydicomCorpus.FullPath)]);
        Assert.That(exit, Is.Zero, output);
        Assert.That(_server.Index.Statistics().Instances, Is.EqualTo(3));

        foreach (var file in files)
        {
            var original = DicomFile.Open(PydicomCorpus.FullPath(file));
            var id = OrthancIdentifiers.FromDataset(original.Dataset).InstanceHash;
            var instance = _server.Index.Get(id)!;
            Assert.That(instance.Metadata[(int)MetadataType.RemoteAET], Is.EqualTo("MODALITY"));
            Assert.That(instance.Metadata[(int)MetadataType.CalledAET], Is.EqualTo("ARCHIVE"));
            Assert.That(instance.Metadata[(int)MetadataType.RemoteIP], Is.EqualTo("127.0.0.1"));
            Assert.That(instance.Metadata[(int)MetadataType.Origin], Is.EqualTo("DicomProtocol"));
            Assert.That(instance.Metadata.GetValueOrDefault((int)MetadataType.IndexInSeries), Is.EqualTo(original.Dataset.GetString(DicomTags.InstanceNumber)?.Trim()),
                "Orthanc's IndexInSeries is the InstanceNumber");
            var stored = DicomFile.Parse(_server.Storage.Read(_server.Index.GetDicomFile(id)!.Uuid));
            Assert.That(instance.Metadata[(int)MetadataType.TransferSyntax], Is.EqualTo(stored.TransferSyntax.Uid), "the syntax as received");
            Assert.That(stored.Meta.GetString(DicomTags.SourceApplicationEntityTitle), Is.EqualTo("MODALITY"));
            var expected = original.Dataset.Clone();
            expected.Remove(DicomTags.DataSetTrailingPadding); // storescu does not send it
            Assert.That(DatasetComparer.Differences(expected, stored.Dataset, compareVRs: true), Is.Empty, file);
        }
    }

    [Test]
    public void CStore_SameInstanceTwice_SuccessAndOneCopy()
    {
        var path = PydicomCorpus.FullPath("test_files/CT_small.dcm");
        Assert.That(Storescu(path).Exit, Is.Zero);
        Assert.That(Storescu(path).Exit, Is.Zero, "a duplicate is acknowledged, as Orthanc does");
        Assert.That(_server.Index.Statistics().Instances, Is.EqualTo(1));
        Assert.That(_server.Storage.AllUuids().Count(), Is.EqualTo(1), "the second copy's file was removed");
    }

    // A received file is built in an array from a shared pool, which goes back to the pool after
    // the store unless the file is kept for the next reader (as when a script is loaded): a kept
    // file must not be overwritten by the instances after it, nor a stored file be torn.
    [TestCase(true)]
    [TestCase(false)]
    public void CStore_ManyInstancesOnOneAssociation_KeptFilesAndStoredFilesIntact(bool keepForNextReader)
    {
        _server.Ingest.RecentlyStored.Enabled = keepForNextReader;
        var copies = Enumerable.Range(1, 12)
            .Select(i => PydicomCorpus.CopyWithSopInstanceUid("test_files/CT_small.dcm", $"1.2.826.0.1.3680043.8.498.77.{i}")).ToList();
        var files = copies.Select(copy =>
        {
            var path = Path.Combine(_folder.FullName, copy.Dataset.GetString(DicomTags.SOPInstanceUID) + ".dcm");
            DicomWriter.WriteFile(path, copy);
            return path;
        }).ToArray();

        var (exit, output) = Storescu(files);
        Assert.That(exit, Is.Zero, output);
        foreach (var copy in copies)
        {
            var uid = copy.Dataset.GetString(DicomTags.SOPInstanceUID);
            var id = OrthancIdentifiers.FromDataset(copy.Dataset).InstanceHash;
            var uuid = _server.Index.GetDicomFile(id)!.Uuid;
            Assert.That(DicomFile.Parse(_server.Storage.Read(uuid)).Dataset.GetString(DicomTags.SOPInstanceUID), Is.EqualTo(uid));
            var kept = _server.Ingest.RecentlyStored.Take(uuid);
            if (keepForNextReader)
                Assert.That(kept?.File.Dataset.GetString(DicomTags.SOPInstanceUID), Is.EqualTo(uid), "the kept file is still this instance's");
            else
                Assert.That(kept, Is.Null);
        }
    }

    [Test]
    public void CStore_ImplicitVrFile_StoredInItsOwnSyntax()
    {
        // storescu proposes [LE explicit] and [BE explicit, LE implicit] for it; taking BE explicit
        // in the second made storescu convert the file to LE explicit (Orthanc 1.10.1 keeps it).
        var path = PydicomCorpus.FullPath("test_files/rtdose.dcm");
        var original = DicomFile.Open(path);
        Assert.That(original.TransferSyntax.Uid, Is.EqualTo("1.2.840.10008.1.2"), "the corpus file is implicit VR");

        var (exit, output) = Storescu(path);
        Assert.That(exit, Is.Zero, output);
        var id = OrthancIdentifiers.FromDataset(original.Dataset).InstanceHash;
        Assert.That(_server.Index.GetMetadata(id, MetadataType.TransferSyntax), Is.EqualTo("1.2.840.10008.1.2"));
        Assert.That(DicomFile.Parse(_server.Storage.Read(_server.Index.GetDicomFile(id)!.Uuid)).TransferSyntax.Uid, Is.EqualTo("1.2.840.10008.1.2"));
    }

    // The digital X-ray family's class names end in "ForPresentation" or "ForProcessing" (once
    // taken for non-storage classes, so their presentation contexts were refused).
    [TestCase("1.2.840.10008.5.1.4.1.1.1.1", "DX")]
    [TestCase("1.2.840.10008.5.1.4.1.1.1.1.1", "DX")]
    [TestCase("1.2.840.10008.5.1.4.1.1.1.2", "MG")]
    [TestCase("1.2.840.10008.5.1.4.1.1.1.3", "IO")]
    public void CStore_DigitalXRayClasses_Stored(string sopClass, string modality)
    {
        var file = DicomFile.Open(PydicomCorpus.FullPath("test_files/CT_small.dcm"));
        file.Dataset.AddString(DicomTags.SOPClassUID, DicomVR.UI, sopClass);
        file.Dataset.AddString(DicomTags.Modality, DicomVR.CS, modality);
        file.Meta.AddString(DicomTags.MediaStorageSOPClassUID, DicomVR.UI, sopClass);
        var path = Path.Combine(_folder.FullName, modality + ".dcm");
        DicomWriter.WriteFile(path, file);

        var (exit, output) = Storescu(path);
        Assert.That(exit, Is.Zero, output);
        var id = OrthancIdentifiers.FromDataset(file.Dataset).InstanceHash;
        Assert.That(_server.Index.GetMetadata(id, MetadataType.SopClassUid), Is.EqualTo(sopClass));
    }

    [Test]
    public void CStore_WithoutStudyInstanceUid_RefusedAndNothingStored()
    {
        var original = DicomFile.Open(PydicomCorpus.FullPath("test_files/CT_small.dcm"));
        original.Dataset.Remove(DicomTags.StudyInstanceUID);
        var path = Path.Combine(_folder.FullName, "nostudy.dcm");
        DicomWriter.WriteFile(path, original);

        var (exit, output) = Storescu(path);
        Assert.That(exit, Is.Not.Zero, output);
        Assert.That(output, Does.Contain("Received Store Response (Error: CannotUnderstand)"));
        Assert.That(_server.Index.Statistics().Instances, Is.Zero);
        Assert.That(_server.Storage.AllUuids(), Is.Empty);
    }

    [Test]
    public async Task StableAge_AfterTheLastInstance_StableChangesLoggedOnce()
    {
        Assert.That(Storescu(PydicomCorpus.FullPath("test_files/CT_small.dcm")).Exit, Is.Zero);
        var ids = IdsOf("test_files/CT_small.dcm");

        var stable = await WaitForStableChanges(_server, 3);

        Assert.That(stable, Is.EquivalentTo(StableChangesOf(ids)));
        Assert.That(_server.Index.IsStable(ids.StudyHash), Is.True);
    }

    [Test]
    public async Task Restart_StableOnceEach_PendingOnesAnnouncedAfterRestart()
    {
        // A StableAge of 3 s leaves ample time to stop the server before the MR instance is stable.
        await _server.DisposeAsync();
        _server = Create(stableAge: 3);
        _server.Start();
        Assert.That(Storescu(PydicomCorpus.FullPath("test_files/CT_small.dcm")).Exit, Is.Zero);
        await WaitForStableChanges(_server, 3);
        // Stored, then stopped before StableAge passes: not stable yet when the server stops.
        Assert.That(Storescu(PydicomCorpus.FullPath("test_files/MR_small.dcm")).Exit, Is.Zero);
        await _server.StopAsync();
        using (var index = SqliteIndex.Open(_server.Configuration.IndexDirectory)) // the server's own is closed
            Assert.That(index.Changes(0, 100).Count(c => c.ChangeType is ChangeType.StableSeries), Is.EqualTo(1), "MR was not stable before the stop");

        await using var restarted = Create(stableAge: 3);
        restarted.Start();
        var stable = await WaitForStableChanges(restarted, 6);
        await Task.Delay(3500); // more than StableAge: time for a duplicate to appear

        Assert.That(StableChanges(restarted), Is.EquivalentTo(StableChangesOf(IdsOf("test_files/CT_small.dcm")).Concat(StableChangesOf(IdsOf("test_files/MR_small.dcm")))));
        Assert.That(stable, Has.Count.EqualTo(6));
    }

    [Test]
    public void CFind_StoredFileDamaged_UnableToProcessButIndexAnswersStillWork()
    {
        var findscu = ExternalTools.Require("findscu", "dcmtk");
        Assert.That(Storescu(PydicomCorpus.FullPath("test_files/CT_small.dcm")).Exit, Is.Zero);
        var ids = IdsOf("test_files/CT_small.dcm");
        File.WriteAllBytes(_server.Storage.PathOf(_server.Index.GetDicomFile(ids.InstanceHash)!.Uuid), [1, 2, 3]);

        string Find(params string[] keys) => string.Concat(ExternalTools.Run(findscu, ["-v", "-S", "-aet", "VIEWER", "-aec", "ARCHIVE",
            .. keys.SelectMany(k => new[] { "-k", k }), "127.0.0.1", _server.DicomPort.ToString(CultureInfo.InvariantCulture)]) is var r ? r.Output + r.Error : "");

        Assert.That(Find("QueryRetrieveLevel=IMAGE", "SOPInstanceUID", "Rows"), Does.Contain("Received Final Find Response (Failed: UnableToProcess)"),
            "Rows is not in the index: the damaged file is needed");
        var fromIndex = Find("QueryRetrieveLevel=IMAGE", "SOPInstanceUID");
        Assert.That(fromIndex, Does.Contain("Received Final Find Response (Success)"));
        Assert.That(fromIndex, Does.Contain(DicomFile.Open(PydicomCorpus.FullPath("test_files/CT_small.dcm")).Dataset.GetString(DicomTags.SOPInstanceUID)));
    }

    private static OrthancIdentifiers IdsOf(string file) => OrthancIdentifiers.FromDataset(DicomFile.Open(PydicomCorpus.FullPath(file)).Dataset);

    private static (ChangeType, string)[] StableChangesOf(OrthancIdentifiers ids) =>
        [(ChangeType.StableSeries, ids.SeriesHash), (ChangeType.StableStudy, ids.StudyHash), (ChangeType.StablePatient, ids.PatientHash)];

    private static List<(ChangeType, string)> StableChanges(DicomScriptServer server) =>
        [.. server.Index.Changes(0, 1000).Where(c => c.ChangeType is ChangeType.StablePatient or ChangeType.StableStudy or ChangeType.StableSeries)
            .Select(c => (c.ChangeType, c.PublicId))];

    // Polls the change log (bounded: 10 s) until it holds at least `count` stable changes.
    private static async Task<List<(ChangeType, string)>> WaitForStableChanges(DicomScriptServer server, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        var stable = StableChanges(server);
        while (DateTime.UtcNow < deadline && stable.Count < count)
        {
            await Task.Delay(200);
            stable = StableChanges(server);
        }

        return stable;
    }

    [Test]
    public async Task Restart_AfterUncleanStop_OrphanFilesRemovedIndexKept()
    {
        Assert.That(Storescu(PydicomCorpus.FullPath("test_files/CT_small.dcm")).Exit, Is.Zero);
        await _server.StopAsync();
        // Simulate a crash between writing a file and committing its index row, and no clean-shutdown marker.
        var orphan = _server.Storage.Write(new byte[] { 1, 2, 3 });
        File.Delete(Path.Combine(_server.Configuration.IndexDirectory, "clean-shutdown"));

        await using var restarted = Create();
        Assert.That(File.Exists(restarted.Storage.PathOf(orphan.Uuid)), Is.False, "the unreferenced file was removed");
        Assert.That(restarted.Index.Statistics().Instances, Is.EqualTo(1), "the index (in the same folder) was left alone");
        Assert.That(restarted.Storage.AllUuids().Count(), Is.EqualTo(1));
    }
}
