using System.Net;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Network.Scu;
using DicomScript.Server.Configuration;
using DicomScript.Server.Ingest;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace DicomScript.Server.Tests.Ingest;

/// <summary>
/// The files the ingest has just parsed, kept for the next read when OnStoredInstance is defined:
/// taken once, bounded by count and bytes, nothing kept when off, never an instance's stale file.
/// </summary>
[TestFixture]
public class RecentlyStoredFilesTests
{
    private static FileToSend AFile() => new(new DicomFile(new DicomDataset(), new DicomDataset(), DicomTransferSyntax.ExplicitVRLittleEndian));

    [Test]
    public void Off_KeepsNothing()
    {
        var cache = new RecentlyStoredFiles();
        var kept = cache.Add("a", AFile(), 10);

        Assert.Multiple(() =>
        {
            Assert.That(kept, Is.False);
            Assert.That(cache.Count, Is.Zero);
            Assert.That(cache.Take("a"), Is.Null);
        });
    }

    [Test]
    public void On_AFileIsTakenOnce()
    {
        var cache = new RecentlyStoredFiles { Enabled = true };
        var file = AFile();
        var kept = cache.Add("a", file, 10);
        var again = cache.Add("a", AFile(), 10);

        Assert.Multiple(() =>
        {
            Assert.That((kept, again), Is.EqualTo((true, false)), "the first file of a uuid is kept, not another");
            Assert.That(cache.Take("a"), Is.SameAs(file));
            Assert.That(cache.Take("a"), Is.Null, "the first reader owns it");
            Assert.That(cache.Count, Is.Zero);
        });
    }

    [Test]
    public void PastTheCount_TheOldestGo()
    {
        var cache = new RecentlyStoredFiles { Enabled = true };
        for (var i = 0; i <= RecentlyStoredFiles.MaxEntries; i++)
            cache.Add($"f{i}", AFile(), 1);

        Assert.Multiple(() =>
        {
            Assert.That(cache.Count, Is.EqualTo(RecentlyStoredFiles.MaxEntries));
            Assert.That(cache.Take("f0"), Is.Null);
            Assert.That(cache.Take("f1"), Is.Not.Null);
            Assert.That(cache.Take($"f{RecentlyStoredFiles.MaxEntries}"), Is.Not.Null);
        });
    }

    [Test]
    public void PastTheBytes_TheOldestGo_AndAFileLargerThanAllIsNotKept()
    {
        var cache = new RecentlyStoredFiles { Enabled = true };
        const long third = RecentlyStoredFiles.MaxBytes / 3;
        cache.Add("a", AFile(), third);
        cache.Add("b", AFile(), third);
        cache.Add("c", AFile(), third);
        cache.Add("d", AFile(), third); // over the budget: "a" goes
        Assert.That(cache.Add("huge", AFile(), RecentlyStoredFiles.MaxBytes + 1), Is.False);

        Assert.Multiple(() =>
        {
            Assert.That(cache.Take("a"), Is.Null);
            Assert.That(cache.Take("huge"), Is.Null);
            Assert.That(cache.Count, Is.EqualTo(3));
        });
    }

    [Test]
    public void TakenFiles_FreeTheirPlace()
    {
        var cache = new RecentlyStoredFiles { Enabled = true };
        for (var i = 0; i < 3 * RecentlyStoredFiles.MaxEntries; i++)
        {
            cache.Add($"f{i}", AFile(), RecentlyStoredFiles.MaxBytes / 2);
            Assert.That(cache.Take($"f{i}"), Is.Not.Null, $"file {i} was dropped though every earlier one was taken");
        }
    }

    [Test]
    public void TurnedOff_Empties()
    {
        var cache = new RecentlyStoredFiles { Enabled = true };
        cache.Add("a", AFile(), 10);
        cache.Enabled = false;
        cache.Enabled = true;

        Assert.That(cache.Take("a"), Is.Null);
    }

    [Test]
    public async Task Archive_ReadsAJustStoredInstanceFromTheCache_AndNeverADeletedOne()
    {
        PydicomCorpus.Require();
        var folder = Directory.CreateTempSubdirectory("recent-");
        try
        {
            var config = Path.Combine(folder.FullName, "orthanc.json");
            await File.WriteAllTextAsync(config, """{ "DicomServerEnabled": false, "StorageDirectory": "storage" }""");
            await using var archive = DicomScriptServer.Create(ConfigurationLoader.Load(config), NullLoggerFactory.Instance, bindAddress: IPAddress.Loopback);
            archive.Start();
            archive.Ingest.RecentlyStored.Enabled = true;
            var bytes = await File.ReadAllBytesAsync(PydicomCorpus.FullPath("test_files/CT_small.dcm"));
            var expected = FileToSend.Parse(bytes).DatasetBytes.ToArray();

            var first = await archive.Ingest.IngestAsync(bytes, InstanceOrigin.Lua, CancellationToken.None);
            Assert.That(archive.Ingest.RecentlyStored.Count, Is.EqualTo(1));
            var cached = archive.ReadFileToSend(first.InstanceId);
            var fromDisk = archive.ReadFileToSend(first.InstanceId);

            Assert.Multiple(() =>
            {
                Assert.That(archive.Ingest.RecentlyStored.Count, Is.Zero, "the first read takes the ingest's parse");
                Assert.That(cached!.DatasetBytes.ToArray(), Is.EqualTo(expected));
                Assert.That(fromDisk!.DatasetBytes.ToArray(), Is.EqualTo(expected));
                Assert.That(fromDisk, Is.Not.SameAs(cached));
            });

            var second = await archive.Ingest.IngestAsync(await File.ReadAllBytesAsync(PydicomCorpus.FullPath("test_files/MR_small.dcm")), InstanceOrigin.Lua, CancellationToken.None);
            archive.Delete(second.InstanceId);
            Assert.That(archive.ReadFileToSend(second.InstanceId), Is.Null, "a deleted instance has no file, kept or not");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
