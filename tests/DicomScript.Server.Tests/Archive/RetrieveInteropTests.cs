using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Server.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Server.Tests.Archive;

/// <summary>
/// C-MOVE and C-GET differential: the pydicom corpus stored in our archive and in the real Orthanc
/// 1.10.1; the same movescu request (destination: a storescp known to both as a modality) or getscu
/// request sent to each. The same instances must arrive, with the same final status and
/// sub-operation counts, and what we send must equal what was stored.
/// </summary>
[TestFixture]
[NonParallelizable]
public partial class RetrieveInteropTests
{
    private const string Destination = "STORESCP";

    private ArchivePair? _pair;
    private PeerProcess? _storescp;
    private DirectoryInfo? _received;
    private readonly Dictionary<string, string> _storedBySopInstance = new(StringComparer.Ordinal);

    [OneTimeSetUp]
    public async Task StoreCorpusInBoth()
    {
        if (ExternalTools.Find("/usr/sbin/Orthanc") is null || ExternalTools.Find("movescu") is null || !Directory.Exists(PydicomCorpus.TestFiles))
            return;
        _received = Directory.CreateTempSubdirectory("retrieved-");
        var storescpPort = ExternalTools.FreeLoopbackPort();
        _storescp = PeerProcess.Start("storescp", "dcmtk", ["+xa", "-aet", Destination, "-od", _received.FullName, storescpPort.ToString(CultureInfo.InvariantCulture)], storescpPort);
        _pair = ArchivePair.Start(new JsonObject
        {
            ["DicomAlwaysAllowMove"] = true,
            ["DicomAlwaysAllowGet"] = true,
            ["DicomModalities"] = new JsonObject { ["archive"] = new JsonArray(Destination, "127.0.0.1", storescpPort) },
        });
        var files = DicomScript.Dicom.Tests.Corpus.CorpusReadTests.ValidFiles().ToList();
        await _pair.StoreAsync(files);
        foreach (var file in files)
            _storedBySopInstance.TryAdd(DicomFile.Open(PydicomCorpus.FullPath(file)).Dataset.GetString(DicomTags.SOPInstanceUID) ?? "", file);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_pair is not null)
            await _pair.DisposeAsync();
        _storescp?.Dispose();
        _received?.Delete(recursive: true);
    }

    private static string Tag(string file, DicomTag tag) =>
        DicomFile.Open(PydicomCorpus.FullPath("test_files/" + file)).Dataset.GetString(tag) ?? throw new InvalidOperationException($"{file} has no {tag}");

    // Keys read from corpus files when the test runs; each names what to retrieve, not what arrives.
    public static IEnumerable<TestCaseData> Requests()
    {
        yield return new TestCaseData((object)new[] { "QueryRetrieveLevel=PATIENT", "PatientID=77654033" }).SetName("Patient by PatientID (two studies)");
        yield return new TestCaseData((object)new[] { "QueryRetrieveLevel=STUDY", "StudyInstanceUID=" + Tag("MR_small.dcm", DicomTags.StudyInstanceUID) })
            .SetName("Study by StudyInstanceUID");
        yield return new TestCaseData((object)new[] { "QueryRetrieveLevel=STUDY", "AccessionNumber=" + Tag("liver_1frame.dcm", DicomTags.AccessionNumber), "StudyInstanceUID=1.2.3" })
            .SetName("Study by AccessionNumber, which wins over StudyInstanceUID");
        yield return new TestCaseData((object)new[]
            {
                "QueryRetrieveLevel=SERIES",
                "SeriesInstanceUID=" + Tag("rtplan.dcm", DicomTags.SeriesInstanceUID) + "\\" + Tag("JPEG2000.dcm", DicomTags.SeriesInstanceUID),
            })
            .SetName("Series by a UID list");
        yield return new TestCaseData((object)new[] { "QueryRetrieveLevel=IMAGE", "SOPInstanceUID=" + Tag("CT_small.dcm", DicomTags.SOPInstanceUID), "PatientID=ignored" })
            .SetName("Image by SOPInstanceUID, other keys ignored");
    }

    [TestCaseSource(nameof(Requests))]
    public void CMove_SameInstancesAndCountsAsOrthanc(string[] keys)
    {
        var movescu = RequireTools("movescu");
        var theirs = Move(movescu, _pair!.OrthancDicomPort, keys);
        var ours = Move(movescu, _pair.Ours.DicomPort, keys);
        Assert.That(theirs.Received, Is.Not.Empty, theirs.Log);
        Assert.That(ours.Received.Keys, Is.EquivalentTo(theirs.Received.Keys), ours.Log);
        Assert.That(ours.Final, Is.EqualTo(theirs.Final), ours.Log);
        AssertSentAsStored(ours.Received);
    }

    [Test]
    public void CMove_WithoutLevel_DeepestIdentifierChosenAsOrthanc()
    {
        var movescu = RequireTools("movescu");
        string[] keys = ["SeriesInstanceUID=" + Tag("JPEG2000.dcm", DicomTags.SeriesInstanceUID), "StudyInstanceUID=" + Tag("CT_small.dcm", DicomTags.StudyInstanceUID)];
        var theirs = Move(movescu, _pair!.OrthancDicomPort, keys);
        var ours = Move(movescu, _pair.Ours.DicomPort, keys);
        Assert.That(theirs.Received, Has.Count.GreaterThan(1), theirs.Log);
        Assert.That(ours.Received.Keys, Is.EquivalentTo(theirs.Received.Keys), ours.Log);
    }

    [Test]
    public void CMove_AnInstanceTheDestinationRefuses_OthersStillSent()
    {
        // The RT dose series holds rtdose_rle.dcm, whose SOP class UID is stored with VR UN: dcmtk
        // refuses it ("Inappropriate data for message"). Orthanc aborts the C-MOVE there with
        // UnableToProcess; we send the rest and end with the standard's warning (a deliberate
        // difference, README), so a viewer gets every image that can be sent.
        var movescu = RequireTools("movescu");
        string[] keys = ["QueryRetrieveLevel=SERIES", "SeriesInstanceUID=" + Tag("rtdose.dcm", DicomTags.SeriesInstanceUID)];
        var theirs = Move(movescu, _pair!.OrthancDicomPort, keys);
        var ours = Move(movescu, _pair.Ours.DicomPort, keys);
        Assert.That(theirs.Final, Does.Contain("Failed: UnableToProcess"), theirs.Log);
        Assert.That(ours.Final, Does.Contain("Warning: SubOperationsCompleteOneOrMoreFailures"), ours.Log);
        Assert.That(ours.Received.Keys, Is.SupersetOf(theirs.Received.Keys).And.Not.Empty, ours.Log);
        AssertSentAsStored(ours.Received);
    }

    [TestCase("QueryRetrieveLevel=STUDY", "StudyInstanceUID=1.2.3.4.5.6.7.8.9", TestName = "No stored match")]
    [TestCase("QueryRetrieveLevel=SERIES", "StudyInstanceUID=1.2.3", TestName = "No identifier of the level")]
    [TestCase("QueryRetrieveLevel=FRAME", "SOPInstanceUID=1.2.3", TestName = "Unknown level")]
    public void CMove_Refused_SameStatusAsOrthanc(params string[] keys)
    {
        var movescu = RequireTools("movescu");
        var theirs = Move(movescu, _pair!.OrthancDicomPort, keys);
        var ours = Move(movescu, _pair.Ours.DicomPort, keys);
        Assert.That(theirs.Final, Does.Contain("Failed"), theirs.Log);
        Assert.That(ours.Final, Is.EqualTo(theirs.Final), ours.Log);
        Assert.That(ours.Received, Is.Empty);
    }

    [Test]
    public void CMove_UnknownDestination_MoveDestinationUnknown()
    {
        // Orthanc answers UnableToProcess (0xC000); the standard's status for this is 0xA801, which
        // tells the administrator what to fix. A deliberate difference (README).
        var movescu = RequireTools("movescu");
        string[] keys = ["QueryRetrieveLevel=IMAGE", "SOPInstanceUID=" + Tag("CT_small.dcm", DicomTags.SOPInstanceUID)];
        var theirs = Move(movescu, _pair!.OrthancDicomPort, keys, destination: "NOWHERE");
        var ours = Move(movescu, _pair.Ours.DicomPort, keys, destination: "NOWHERE");
        Assert.That(theirs.Final, Does.Contain("Failed: UnableToProcess"), theirs.Log);
        Assert.That(ours.Final, Does.Contain("Refused: MoveDestinationUnknown"), ours.Log);
        Assert.That(ours.Received, Is.Empty);
    }

    [TestCaseSource(nameof(Requests))]
    public void CGet_SameInstancesAsOrthanc(string[] keys)
    {
        var getscu = RequireTools("getscu");
        var theirs = Get(getscu, _pair!.OrthancDicomPort, keys);
        var ours = Get(getscu, _pair.Ours.DicomPort, keys);
        Assert.That(theirs.Received, Is.Not.Empty, theirs.Log);
        Assert.That(ours.Received.Keys, Is.EquivalentTo(theirs.Received.Keys), ours.Log);
        AssertSentAsStored(ours.Received);
    }

    [Test]
    public void CGet_WithoutLevel_RefusedAsOrthanc()
    {
        var getscu = RequireTools("getscu");
        string[] keys = ["StudyInstanceUID=" + Tag("CT_small.dcm", DicomTags.StudyInstanceUID)];
        var theirs = Get(getscu, _pair!.OrthancDicomPort, keys);
        var ours = Get(getscu, _pair.Ours.DicomPort, keys);
        Assert.That(theirs.Received, Is.Empty, theirs.Log);
        Assert.That(ours.Received, Is.Empty, ours.Log);
        Assert.That(ours.Final, Is.EqualTo(theirs.Final).And.Contain("Failed"), ours.Log);
    }

    private string RequireTools(string scu)
    {
        ExternalTools.Require("/usr/sbin/Orthanc", "orthanc");
        var path = ExternalTools.Require(scu, "dcmtk");
        if (_pair is null)
            Assert.Fail("the archives did not start (see the one-time set-up)");
        return path;
    }

    private sealed record Retrieved(Dictionary<string, DicomFile> Received, string Final, string Log);

    private Retrieved Move(string movescu, int port, string[] keys, string destination = Destination)
    {
        Clear();
        var (_, output, error) = ExternalTools.Run(movescu,
            ["-v", "-S", "-aet", "MOVESCU", "-aec", "ORTHANC", "-aem", destination, "127.0.0.1", port.ToString(CultureInfo.InvariantCulture), .. KeyArguments(keys)],
            TimeSpan.FromMinutes(2));
        return Collect(_received!, output + error, FinalMoveResponse());
    }

    private static Retrieved Get(string getscu, int port, string[] keys)
    {
        var folder = Directory.CreateTempSubdirectory("getscu-");
        try
        {
            var (_, output, error) = ExternalTools.Run(getscu,
                ["-v", "-S", "-aet", "GETSCU", "-aec", "ORTHANC", "-od", folder.FullName, "127.0.0.1", port.ToString(CultureInfo.InvariantCulture), .. KeyArguments(keys)],
                TimeSpan.FromMinutes(2));
            return Collect(folder, output + error, FinalGetResponse());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static IEnumerable<string> KeyArguments(string[] keys) => keys.SelectMany(k => new[] { "-k", k });

    private static Retrieved Collect(DirectoryInfo folder, string log, Regex final)
    {
        var received = folder.GetFiles().Select(f => DicomFile.Open(f.FullName))
            .ToDictionary(f => f.Dataset.GetString(DicomTags.SOPInstanceUID) ?? "", StringComparer.Ordinal);
        var match = final.Match(log);
        return new Retrieved(received, match.Success ? match.Value.Trim() : "(no final response)", log);
    }

    private void Clear()
    {
        foreach (var file in _received!.GetFiles())
            file.Delete();
    }

    // What arrives is the stored file's dataset, element for element (the transfer syntax may differ),
    // except the trailing padding, which storescp drops when it writes a file.
    private void AssertSentAsStored(Dictionary<string, DicomFile> received)
    {
        foreach (var (sopInstanceUid, file) in received)
        {
            var stored = DicomFile.Open(PydicomCorpus.FullPath(_storedBySopInstance[sopInstanceUid]));
            stored.Dataset.Remove(DicomTags.DataSetTrailingPadding);
            file.Dataset.Remove(DicomTags.DataSetTrailingPadding);
            Assert.That(DatasetComparer.Differences(stored.Dataset, file.Dataset, compareVRs: false), Is.Empty, sopInstanceUid);
        }
    }

    [GeneratedRegex(@"Received Final Move Response \([^)]*\)")]
    private static partial Regex FinalMoveResponse();

    [GeneratedRegex(@"Received (Final )?C-GET Response \([^)]*\)", RegexOptions.RightToLeft)]
    private static partial Regex FinalGetResponse();
}
