using System.Globalization;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Network.Dimse;
using DicomScript.Network.Scu;
using NUnit.Framework;

namespace DicomScript.Network.Tests.Interop;

/// <summary>Our SCU against dcmtk's storescp: what arrives equals what we sent.</summary>
[TestFixture]
[NonParallelizable]
public class ScuInteropTests
{
    // Distinct instances in every kind of syntax: explicit LE, explicit BE, implicit, JPEG 2000, RLE, deflated.
    private static readonly string[] Files =
    [
        "test_files/CT_small.dcm", "test_files/ExplVR_BigEnd.dcm", "test_files/rtplan.dcm", "test_files/JPEG2000.dcm",
        "test_files/SC_rgb_rle.dcm", "test_files/image_dfl.dcm", "test_files/test-SR.dcm", "test_files/waveform_ecg.dcm",
    ];

    private DirectoryInfo _folder = null!;

    [SetUp]
    public void CreateFolder()
    {
        PydicomCorpus.Require();
        _folder = Directory.CreateTempSubdirectory("storescp-");
    }

    [TearDown]
    public void DeleteFolder() => _folder.Delete(recursive: true);

    private PeerProcess StartStorescp(int port, params string[] options) =>
        PeerProcess.Start("storescp", "dcmtk", [.. options, "-aet", "STORESCP", "-od", _folder.FullName, port.ToString(CultureInfo.InvariantCulture)], port);

    private static DicomClient Client(int port) => new(new DicomClientOptions("127.0.0.1", port, "OURSCU", "STORESCP"));

    private Dictionary<string, DicomFile> Received() => _folder.GetFiles()
        .Select(f => DicomFile.Open(f.FullName))
        .ToDictionary(f => f.Dataset.GetString(DicomTags.SOPInstanceUID)!);

    [Test]
    public async Task Echo_Storescp_Success()
    {
        var port = PeerProcess.FreePort();
        using var storescp = StartStorescp(port);
        Assert.That(await Client(port).EchoAsync(), Is.EqualTo(DimseStatus.Success), storescp.Output);
    }

    [Test]
    public async Task Store_FilesInEverySyntaxToStorescpAcceptingAll_ArriveIntactInTheirSyntax()
    {
        var port = PeerProcess.FreePort();
        using var storescp = StartStorescp(port, "+xa");
        var originals = Files.Select(f => DicomFile.Open(PydicomCorpus.FullPath(f))).ToList();

        var statuses = await Client(port).StoreAsync(originals);

        Assert.That(statuses, Is.All.EqualTo(DimseStatus.Success), storescp.Output);
        var received = Received();
        foreach (var original in originals)
        {
            var uid = original.Dataset.GetString(DicomTags.SOPInstanceUID)!;
            Assert.That(received.ContainsKey(uid), Is.True, $"{uid} did not arrive");
            var copy = received[uid];
            // Compressed data travels in its own syntax; native data in whichever uncompressed one storescp chose.
            if (original.TransferSyntax.IsEncapsulated)
                Assert.That(copy.TransferSyntax.Uid, Is.EqualTo(original.TransferSyntax.Uid), uid);
            else
                Assert.That(copy.TransferSyntax.IsEncapsulated, Is.False, uid);
            Assert.That(DatasetComparer.Differences(WithoutPadding(original.Dataset), copy.Dataset, compareVRs: original.TransferSyntax.IsExplicitVR), Is.Empty, uid);
        }
    }

    [Test]
    public async Task Store_FilesFromDiskInASyntaxThePeerAccepts_ArriveBitForBit()
    {
        // Files our encoder would write otherwise (lengths of sequences and items, group lengths,
        // padding): sent as read, their datasets arrive unchanged. storescp +B writes what it got.
        string[] files = ["test_files/CT_small.dcm", "test_files/reportsi_with_empty_number_tags.dcm", "test_files/test-SR.dcm", "test_files/693_J2KI.dcm"];
        var port = PeerProcess.FreePort();
        using var storescp = StartStorescp(port, "+xa", "+B");

        var statuses = await Client(port).StoreAsync(files.Select(PydicomCorpus.FullPath).ToList());

        Assert.That(statuses, Is.All.EqualTo(DimseStatus.Success), storescp.Output);
        var received = _folder.GetFiles().Select(f => FileToSend.Parse(File.ReadAllBytes(f.FullName)))
            .ToDictionary(f => f.File.Dataset.GetString(DicomTags.SOPInstanceUID)!);
        foreach (var name in files)
        {
            var original = FileToSend.Parse(File.ReadAllBytes(PydicomCorpus.FullPath(name)));
            Assert.That(DicomWriter.Encode(original.File.Dataset, original.File.TransferSyntax).Span.SequenceEqual(original.DatasetBytes.Span), Is.False,
                $"{name}: encoded again it would differ, so the test tells the two ways apart");
            var copy = received[original.File.Dataset.GetString(DicomTags.SOPInstanceUID)!];
            Assert.That(copy.File.TransferSyntax.Uid, Is.EqualTo(original.File.TransferSyntax.Uid), name);
            Assert.That(copy.DatasetBytes.ToArray(), Is.EqualTo(original.DatasetBytes.ToArray()), name);
        }
    }

    [Test]
    public async Task Store_BigEndianFileToStorescpPreferringBigEndian_SentAsIs()
    {
        var port = PeerProcess.FreePort();
        using var storescp = StartStorescp(port, "+xb");
        var original = DicomFile.Open(PydicomCorpus.FullPath("test_files/ExplVR_BigEnd.dcm"));

        var statuses = await Client(port).StoreAsync([original]);

        Assert.That(statuses, Is.EqualTo(new[] { DimseStatus.Success }), storescp.Output);
        var copy = Received()[original.Dataset.GetString(DicomTags.SOPInstanceUID)!];
        Assert.That(copy.TransferSyntax.Uid, Is.EqualTo(DicomTransferSyntax.ExplicitVRBigEndian.Uid));
        Assert.That(DatasetComparer.Differences(WithoutPadding(original.Dataset), copy.Dataset, compareVRs: true), Is.Empty);
    }

    [Test]
    public async Task Store_ToStorescpAcceptingImplicitOnly_ConvertedAndIntact()
    {
        var port = PeerProcess.FreePort();
        using var storescp = StartStorescp(port, "+xi");
        var originals = new[] { "test_files/CT_small.dcm", "test_files/ExplVR_BigEnd.dcm" }.Select(f => DicomFile.Open(PydicomCorpus.FullPath(f))).ToList();

        var statuses = await Client(port).StoreAsync(originals);

        Assert.That(statuses, Is.All.EqualTo(DimseStatus.Success), storescp.Output);
        var received = Received();
        foreach (var original in originals)
        {
            var copy = received[original.Dataset.GetString(DicomTags.SOPInstanceUID)!];
            Assert.That(copy.TransferSyntax.Uid, Is.EqualTo(DicomTransferSyntax.ImplicitVRLittleEndian.Uid));
            Assert.That(DatasetComparer.Differences(WithoutPadding(original.Dataset), copy.Dataset, compareVRs: false), Is.Empty);
        }
    }

    [Test]
    public async Task Store_CompressedToImplicitOnly_NoContextStatusAndNothingSent()
    {
        var port = PeerProcess.FreePort();
        using var storescp = StartStorescp(port, "+xi");
        var jpeg = DicomFile.Open(PydicomCorpus.FullPath("test_files/JPEG2000.dcm"));
        var ct = DicomFile.Open(PydicomCorpus.FullPath("test_files/CT_small.dcm"));

        var statuses = await Client(port).StoreAsync([jpeg, ct]);

        Assert.That(statuses, Is.EqualTo(new[] { InstanceSender.NoContextStatus, DimseStatus.Success }));
        Assert.That(Received().Keys, Is.EquivalentTo(new[] { ct.Dataset.GetString(DicomTags.SOPInstanceUID) }));
    }

    [Test]
    public async Task Store_NobodyListening_ClearConnectionError()
    {
        var port = PeerProcess.FreePort();
        var error = await Assert.ThrowsAsync<DicomNetworkException>(() => Client(port).EchoAsync());
        Assert.That(error!.Reason, Is.EqualTo(NetworkError.ConnectionClosed));
        Assert.That(error.Message, Does.Contain($"127.0.0.1:{port}"));
    }

    // dcmtk drops the trailing padding element (FFFC,FFFC) when it writes a received file.
    internal static DicomDataset WithoutPadding(DicomDataset dataset)
    {
        var copy = dataset.Clone();
        copy.Remove(DicomTags.DataSetTrailingPadding);
        return copy;
    }
}
