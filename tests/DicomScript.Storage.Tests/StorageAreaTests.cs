using System.Security.Cryptography;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Storage.Files;
using NUnit.Framework;

namespace DicomScript.Storage.Tests;

[TestFixture]
public class StorageAreaTests
{
    private DirectoryInfo _root = null!;

    [SetUp]
    public void CreateRoot() => _root = Directory.CreateTempSubdirectory("storage-");

    [TearDown]
    public void DeleteRoot() => _root.Delete(recursive: true);

    [TestCase(false, false)]
    [TestCase(true, false)]
    [TestCase(false, true)]
    public void WriteReadRemove_RoundTripInOrthancLayout(bool compress, bool durable)
    {
        var area = new StorageArea(_root.FullName, compress, durable);
        var content = new byte[100_000];
        new Random(1).NextBytes(content.AsSpan(0, 50_000)); // half random, half zeros: compressible
        var stored = area.Write(content);

        var path = area.PathOf(stored.Uuid);
        Assert.That(path, Is.EqualTo(Path.Combine(_root.FullName, stored.Uuid[..2], stored.Uuid[2..4], stored.Uuid)));
        Assert.That(File.Exists(path), Is.True);
        Assert.That(area.Read(stored.Uuid), Is.EqualTo(content));
        Assert.That(stored.UncompressedSize, Is.EqualTo(content.Length));
        Assert.That(stored.UncompressedMd5, Is.EqualTo(Convert.ToHexStringLower(MD5.HashData(content))));
        Assert.That(stored.StoredSize, compress ? Is.LessThan(content.Length) : Is.EqualTo(content.Length));
        Assert.That(new FileInfo(path).Length, Is.EqualTo(stored.StoredSize));

        Assert.That(area.Remove(stored.Uuid), Is.True);
        Assert.That(File.Exists(path), Is.False);
        Assert.That(Directory.Exists(Path.GetDirectoryName(path)), Is.True, "the emptied folder stays, for the next file");
        Assert.That(area.Remove(stored.Uuid), Is.False);
    }

    [Test]
    public void Write_FillsOneFolderAtATime_WithUuidsStillUniqueAndWellFormed()
    {
        var area = new StorageArea(_root.FullName, compress: false);
        var uuids = Enumerable.Range(0, 600).Select(_ => area.Write(new byte[1]).Uuid).ToList();

        Assert.That(uuids.Distinct().Count(), Is.EqualTo(uuids.Count));
        Assert.That(uuids, Has.All.Matches<string>(uuid => Guid.TryParseExact(uuid, "D", out _)));
        // 600 files over at most 4 folders (256 a folder, from any point of a round), where random
        // UUIDs would have made ~600 folders.
        var folders = uuids.Select(uuid => uuid[..4]).Distinct().ToList();
        Assert.That(folders, Has.Count.InRange(3, 4));
        Assert.That(Directory.GetDirectories(_root.FullName).Sum(first => Directory.GetDirectories(first).Length), Is.EqualTo(folders.Count));
    }

    // Every association writes into the same new folder at once; the one that loses the race to make
    // it must still store its file (once 1 in ~10,000 instances over 4 associations failed; this
    // test, 64 new folders, caught it most of the time).
    [Test]
    public void Write_FromManyThreadsAcrossNewFolders_EveryFileStored()
    {
        var area = new StorageArea(_root.FullName, compress: false);
        using var start = new Barrier(8);
        var written = new System.Collections.Concurrent.ConcurrentBag<string>();
        var writers = Enumerable.Range(0, 8).Select(t => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < 2048; i++)
                written.Add(area.Write([(byte)t, (byte)i]).Uuid);
        }, TaskCreationOptions.LongRunning)).ToArray();

        Task.WaitAll(writers); // a writer's exception fails the test here
        Assert.That(written, Has.Count.EqualTo(8 * 2048));
        Assert.That(written.Distinct().Count(), Is.EqualTo(8 * 2048));
        Assert.That(written.All(uuid => File.Exists(area.PathOf(uuid))), Is.True);
    }

    [Test]
    public void Write_NeverLeavesATemporaryFile_AndLeftoversAreCleanedAtStart()
    {
        var area = new StorageArea(_root.FullName, compress: false);
        var stored = area.Write(new byte[10]);
        Assert.That(Directory.EnumerateFiles(_root.FullName, "*.tmp", SearchOption.AllDirectories), Is.Empty);

        // What a crash between write and rename leaves: a temporary file beside the real one.
        File.WriteAllBytes(area.PathOf(stored.Uuid) + ".deadbeef.tmp", new byte[5]);
        Assert.That(area.RemoveLeftoverTemporaryFiles(), Is.EqualTo(1));
        Assert.That(File.Exists(area.PathOf(stored.Uuid)), Is.True);
    }

    [Test]
    public void DirectorySync_MissingFolder_ClearError()
    {
        DirectorySync.Sync(_root.FullName); // a real folder syncs
        var missing = Path.Combine(_root.FullName, "missing");
        Assert.That(() => DirectorySync.Sync(missing), Throws.InstanceOf<IOException>().With.Message.Contains(missing));
    }

    [TestCase("../../etc/passwd")]
    [TestCase("ab")]
    [TestCase("")]
    public void PathOf_NotAUuid_Refused(string uuid) => Assert.Throws(Is.InstanceOf<ArgumentException>(), () => new StorageArea(_root.FullName, false).PathOf(uuid));

    /// <summary>A file the real Orthanc stored with StorageCompression reads back as the uploaded file.</summary>
    [Test]
    public void Read_AttachmentCompressedByOrthanc_EqualsWhatWasUploaded()
    {
        PydicomCorpus.Require();
        using var orthanc = OrthancServer.Start(new JsonObject { ["StorageCompression"] = true });
        var bytes = File.ReadAllBytes(PydicomCorpus.FullPath("test_files/CT_small.dcm"));
        var (id, answer) = orthanc.Upload(bytes);
        Assert.That(id, Is.Not.Null, answer);
        var uuid = orthanc.GetJson($"instances/{id}")["FileUuid"]!.GetValue<string>();

        var area = new StorageArea(orthanc.StorageDirectory, compress: true);
        Assert.That(File.Exists(area.PathOf(uuid)), Is.True, "same layout as Orthanc");
        Assert.That(area.Read(uuid), Is.EqualTo(bytes));
    }
}
