using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Network.Dimse;
using DicomScript.Network.Scp;
using DicomScript.Network.Scu;
using DicomScript.Network.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Network.Tests.Interop;

/// <summary>Our SCU against dcmtk's dcmqrscp: store into it, then find, move and get back.</summary>
[TestFixture]
[NonParallelizable]
public class DcmqrscpTests
{
    private static readonly string[] Files = ["test_files/CT_small.dcm", "test_files/MR_small.dcm", "test_files/rtplan.dcm"];

    private DirectoryInfo _folder = null!;
    private PeerProcess? _dcmqrscp;
    private TestServer _destination = null!;
    private int _port;
    private List<DicomFile> _originals = [];

    [OneTimeSetUp]
    public async Task Start()
    {
        PydicomCorpus.Require();
        _destination = new TestServer();
        _folder = Directory.CreateTempSubdirectory("dcmqrscp-");
        var storage = Directory.CreateDirectory(Path.Combine(_folder.FullName, "db"));
        _port = PeerProcess.FreePort();
        var config = Path.Combine(_folder.FullName, "dcmqrscp.cfg");
        File.WriteAllText(config, $"""
            NetworkTCPPort  = {_port}
            MaxPDUSize      = 16384
            MaxAssociations = 16
            HostTable BEGIN
            destination = ({TestServer.AETitle}, 127.0.0.1, {_destination.Port})
            HostTable END
            VendorTable BEGIN
            VendorTable END
            AETable BEGIN
            QRSCP {storage.FullName} RW (100, 1024mb) ANY
            AETable END
            """);
        // Fork mode: Debian's dcmqrscp 3.6.7 crashes after its first association in single-process mode (-s).
        _dcmqrscp = PeerProcess.Start("dcmqrscp", "dcmtk", ["-c", config], _port);
        _originals = [.. Files.Select(f => DicomFile.Open(PydicomCorpus.FullPath(f)))];
        var statuses = await Client().StoreAsync(_originals);
        Assert.That(statuses, Is.All.EqualTo(DimseStatus.Success), _dcmqrscp.Output);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _dcmqrscp?.Dispose();
        await _destination.DisposeAsync();
        _folder.Delete(recursive: true);
    }

    private DicomClient Client() => new(new DicomClientOptions("127.0.0.1", _port, "OURSCU", "QRSCP"));

    private static DicomDataset StudyQuery(string? studyUid = null) => new DicomDataset()
        .AddString(DicomTags.QueryRetrieveLevel, DicomVR.CS, "STUDY")
        .AddString(DicomTags.StudyInstanceUID, DicomVR.UI, studyUid ?? "")
        .AddString(DicomTags.PatientID, DicomVR.LO, "");

    private string StudyOf(int index) => _originals[index].Dataset.GetString(DicomTags.StudyInstanceUID)!;

    [Test]
    public async Task Find_AllStudies_EachStoredStudyOnce()
    {
        var studies = new List<string?>();
        await foreach (var answer in Client().FindAsync(SopClasses.StudyRootFind, StudyQuery()))
            studies.Add(answer.GetString(DicomTags.StudyInstanceUID));
        Assert.That(studies, Is.EquivalentTo(_originals.Select(o => o.Dataset.GetString(DicomTags.StudyInstanceUID)).Distinct()));
    }

    [Test]
    public async Task Find_OneStudy_MatchWithPatientId()
    {
        var answers = new List<DicomDataset>();
        await foreach (var answer in Client().FindAsync(SopClasses.StudyRootFind, StudyQuery(StudyOf(0))))
            answers.Add(answer);
        Assert.That(answers, Has.Count.EqualTo(1));
        Assert.That(answers[0].GetString(DicomTags.PatientID), Is.EqualTo("1CT1"));
    }

    [Test]
    public async Task Find_StopAfterFirstAnswer_CancelsCleanly()
    {
        var seen = 0;
        await foreach (var _ in Client().FindAsync(SopClasses.StudyRootFind, StudyQuery()))
        {
            seen++;
            break; // sends C-CANCEL and waits for the final response
        }

        Assert.That(seen, Is.EqualTo(1));
        // The association ended cleanly: another query works.
        Assert.That(await Client().EchoAsync(), Is.EqualTo(DimseStatus.Success), _dcmqrscp!.Output);
    }

    [Test]
    public async Task Move_StudyToOurServer_ArrivesWithCounts()
    {
        _destination.Stored.Clear();
        var progress = new List<SubOperationCounts>();
        var result = await Client().MoveAsync(SopClasses.StudyRootMove, TestServer.AETitle, StudyQuery(StudyOf(1)), new Progress(progress));

        Assert.That(result.Status, Is.EqualTo(DimseStatus.Success), _dcmqrscp!.Output);
        Assert.That(result.Counts.Completed, Is.EqualTo(1));
        Assert.That(result.Counts.Failed, Is.Zero);
        var uid = _originals[1].Dataset.GetString(DicomTags.SOPInstanceUID)!;
        Assert.That(_destination.Stored.ContainsKey(uid), Is.True);
        Assert.That(_destination.Stored[uid].Request.MoveOriginatorAETitle, Is.EqualTo("OURSCU"));
        Assert.That(DatasetComparer.Differences(ScuInteropTests.WithoutPadding(_originals[1].Dataset), _destination.Stored[uid].Dataset, compareVRs: true), Is.Empty);
    }

    [Test]
    public async Task Get_Study_InstanceComesBackOnTheSameAssociation()
    {
        var sopClass = _originals[0].Dataset.GetString(DicomTags.SOPClassUID)!;
        var received = new List<DicomDataset>();
        var result = await Client().GetAsync(SopClasses.StudyRootGet, StudyQuery(StudyOf(0)),
            [(sopClass, DicomTransferSyntax.ExplicitVRLittleEndian.Uid), (sopClass, DicomTransferSyntax.ImplicitVRLittleEndian.Uid)],
            request =>
            {
                received.Add(request.DataSet.Parse());
                return Task.FromResult(DimseStatus.Success);
            });

        Assert.That(result.Status, Is.EqualTo(DimseStatus.Success), _dcmqrscp!.Output);
        Assert.That(result.Counts.Completed, Is.EqualTo(1));
        Assert.That(received, Has.Count.EqualTo(1));
        Assert.That(DatasetComparer.Differences(ScuInteropTests.WithoutPadding(_originals[0].Dataset), received[0], compareVRs: false), Is.Empty);
    }

    private sealed class Progress(List<SubOperationCounts> seen) : IProgress<SubOperationCounts>
    {
        public void Report(SubOperationCounts value) => seen.Add(value);
    }
}
