using System.Globalization;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Network.Scp;
using DicomScript.Network.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Network.Tests.Interop;

/// <summary>dcmtk's findscu, movescu and getscu against our SCP.</summary>
[TestFixture]
[NonParallelizable]
public class QueryRetrieveScpTests
{
    private static readonly string[] ArchiveFiles = ["test_files/CT_small.dcm", "test_files/MR_small.dcm", "test_files/rtplan.dcm", "test_files/JPEG2000.dcm"];

    private TestServer _server = null!;
    private DirectoryInfo _output = null!;

    [SetUp]
    public void Start()
    {
        PydicomCorpus.Require();
        _server = new TestServer();
        _server.Archive.AddRange(ArchiveFiles.Select(f => DicomFile.Open(PydicomCorpus.FullPath(f))));
        _output = Directory.CreateTempSubdirectory("qr-");
    }

    [TearDown]
    public async Task Stop()
    {
        await _server.DisposeAsync();
        _output.Delete(recursive: true);
    }

    private string Port => _server.Port.ToString(CultureInfo.InvariantCulture);

    private DicomFile Archived(int index) => _server.Archive[index];

    private static string StudyOf(DicomFile file) => file.Dataset.GetString(DicomTags.StudyInstanceUID)!;

    [Test]
    public void Findscu_StudyLevelByPatientId_OneMatchWithRequestedKeys()
    {
        var findscu = ExternalTools.Require("findscu", "dcmtk");
        var (exit, output, error) = ExternalTools.Run(findscu, ["-S", "-aet", "FINDSCU", "-aec", TestServer.AETitle, "-X", "-od", _output.FullName,
            "127.0.0.1", Port, "-k", "QueryRetrieveLevel=STUDY", "-k", "PatientID=1CT1", "-k", "StudyInstanceUID", "-k", "PatientName"]);
        Assert.That(exit, Is.Zero, output + error);
        var answers = _output.GetFiles("rsp*.dcm");
        Assert.That(answers, Has.Length.EqualTo(1), output + error);
        var answer = DicomFile.Open(answers[0].FullName).Dataset;
        Assert.That(answer.GetString(DicomTags.StudyInstanceUID), Is.EqualTo(StudyOf(Archived(0))));
        Assert.That(answer.GetString(DicomTags.PatientName), Is.EqualTo("CompressedSamples^CT1"));
    }

    [Test]
    public void Findscu_UniversalQuery_EveryInstanceAnswered()
    {
        var findscu = ExternalTools.Require("findscu", "dcmtk");
        var (exit, output, error) = ExternalTools.Run(findscu, ["-S", "-aec", TestServer.AETitle, "-X", "-od", _output.FullName,
            "127.0.0.1", Port, "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID"]);
        Assert.That(exit, Is.Zero, output + error);
        Assert.That(_output.GetFiles("rsp*.dcm").Select(f => DicomFile.Open(f.FullName).Dataset.GetString(DicomTags.StudyInstanceUID)),
            Is.EquivalentTo(_server.Archive.Select(StudyOf)));
    }

    [Test]
    public void Findscu_CancelAfterFirstAnswer_ServerStopsAndAnswersCancel()
    {
        var findscu = ExternalTools.Require("findscu", "dcmtk");
        _server.FindDelay = TimeSpan.FromMilliseconds(300);
        var (exit, output, error) = ExternalTools.Run(findscu, ["-v", "-S", "-aec", TestServer.AETitle, "--cancel", "1", "-X", "-od", _output.FullName,
            "127.0.0.1", Port, "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID"]);
        Assert.That(exit, Is.Zero, output + error);
        Assert.That(_server.FindCancelled, Is.True, "the handler saw the C-CANCEL");
        Assert.That(_output.GetFiles("rsp*.dcm"), Has.Length.LessThan(_server.Archive.Count));
        Assert.That(output + error, Does.Contain("Cancel").IgnoreCase);
    }

    [Test]
    public void Movescu_StudyToItself_InstanceArrivesIntact()
    {
        var port = PeerProcess.FreePort();
        _server.Destinations["MOVESCU"] = new MoveDestination("127.0.0.1", port, "MOVESCU");
        using var movescu = PeerProcess.Start("movescu", "dcmtk", ["-S", "-aet", "MOVESCU", "-aec", TestServer.AETitle, "-aem", "MOVESCU",
            "--port", port.ToString(CultureInfo.InvariantCulture), "-od", _output.FullName, "127.0.0.1", Port,
            "-k", "QueryRetrieveLevel=STUDY", "-k", $"StudyInstanceUID={StudyOf(Archived(1))}"]);
        Assert.That(movescu.WaitForExit(TimeSpan.FromSeconds(30)), Is.True, "movescu did not finish");
        Assert.That(movescu.ExitCode, Is.Zero, movescu.Output);
        var received = _output.GetFiles();
        Assert.That(received, Has.Length.EqualTo(1), movescu.Output);
        Assert.That(DatasetComparer.Differences(ScuInteropTests.WithoutPadding(Archived(1).Dataset), DicomFile.Open(received[0].FullName).Dataset, compareVRs: true), Is.Empty);
    }

    [Test]
    public void Movescu_UnknownDestination_FailsWithA801()
    {
        var movescu = ExternalTools.Require("movescu", "dcmtk");
        var (_, output, error) = ExternalTools.Run(movescu, ["-v", "-S", "-aec", TestServer.AETitle, "-aem", "NOWHERE",
            "127.0.0.1", Port, "-k", "QueryRetrieveLevel=STUDY", "-k", $"StudyInstanceUID={StudyOf(Archived(0))}"]);
        Assert.That(output + error, Does.Contain("Refused: MoveDestinationUnknown"));
        Assert.That(_output.GetFiles(), Is.Empty);
    }

    [Test]
    public void Getscu_Study_InstanceArrivesIntactOverTheSameAssociation()
    {
        var getscu = ExternalTools.Require("getscu", "dcmtk");
        var (exit, output, error) = ExternalTools.Run(getscu, ["-S", "-aet", "GETSCU", "-aec", TestServer.AETitle, "-od", _output.FullName,
            "127.0.0.1", Port, "-k", "QueryRetrieveLevel=STUDY", "-k", $"StudyInstanceUID={StudyOf(Archived(0))}"]);
        Assert.That(exit, Is.Zero, output + error);
        var received = _output.GetFiles();
        Assert.That(received, Has.Length.EqualTo(1), output + error);
        Assert.That(DatasetComparer.Differences(Archived(0).Dataset, DicomFile.Open(received[0].FullName).Dataset, compareVRs: true), Is.Empty);
    }
}
