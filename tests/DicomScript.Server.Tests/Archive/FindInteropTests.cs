using System.Text.Json.Nodes;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Dicom.Json;
using DicomScript.Server.Tests.Support;
using DicomScript.Storage.Identifiers;
using NUnit.Framework;

namespace DicomScript.Server.Tests.Archive;

/// <summary>
/// C-FIND differential: the pydicom corpus stored in our archive and in the real Orthanc 1.10.1,
/// the same findscu query sent to both; the answers (every returned key and its value) must be
/// the same set.
/// </summary>
[TestFixture]
[NonParallelizable]
public class FindInteropTests
{
    private ArchivePair? _pair;

    [OneTimeSetUp]
    public async Task StoreCorpusInBoth()
    {
        if (ExternalTools.Find("/usr/sbin/Orthanc") is null || ExternalTools.Find("findscu") is null || !Directory.Exists(PydicomCorpus.TestFiles))
            return;
        _pair = ArchivePair.Start([]);
        // Files whose text Orthanc garbles (a documented deviation) would differ by design.
        await _pair.StoreAsync(DicomScript.Dicom.Tests.Corpus.CorpusReadTests.ValidFiles().Where(f => OrthancDeviations.GarbledText(f).Length == 0));
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_pair is not null)
            await _pair.DisposeAsync();
    }

    public static IEnumerable<TestCaseData> Queries()
    {
        string[][] table =
        [
            ["-P", "QueryRetrieveLevel=PATIENT", "PatientName", "PatientID", "PatientBirthDate", "PatientSex"],
            ["-P", "QueryRetrieveLevel=PATIENT", "PatientName=*^*", "PatientID", "NumberOfPatientRelatedStudies", "NumberOfPatientRelatedSeries", "NumberOfPatientRelatedInstances"],
            ["-S", "QueryRetrieveLevel=STUDY", "StudyInstanceUID", "StudyDate", "StudyTime", "AccessionNumber", "PatientName", "PatientID", "StudyDescription"],
            ["-S", "QueryRetrieveLevel=STUDY", "StudyInstanceUID", "StudyDate=20000101-", "ModalitiesInStudy", "NumberOfStudyRelatedSeries", "NumberOfStudyRelatedInstances"],
            ["-S", "QueryRetrieveLevel=STUDY", "StudyInstanceUID", "ModalitiesInStudy=MR", "NumberOfStudyRelatedInstances"],
            ["-S", "QueryRetrieveLevel=STUDY", "StudyInstanceUID", "ModalitiesInStudy=CT\\US", "SOPClassesInStudy"],
            ["-S", "QueryRetrieveLevel=STUDY", "StudyInstanceUID", "PatientName=doe*", "Modality"],
            ["-S", "QueryRetrieveLevel=SERIES", "StudyInstanceUID", "SeriesInstanceUID", "Modality=MR", "SeriesNumber", "SeriesDescription", "NumberOfSeriesRelatedInstances"],
            ["-S", "QueryRetrieveLevel=SERIES", "SeriesInstanceUID", "Modality=C*", "BodyPartExamined", "Manufacturer"],
            ["-S", "QueryRetrieveLevel=IMAGE", "SOPInstanceUID", "InstanceNumber", "SeriesInstanceUID", "PatientID", "Modality=US"],
            ["-S", "QueryRetrieveLevel=IMAGE", "SOPInstanceUID", "SOPClassUID=1.2.840.10008.5.1.4.1.1.4", "ImageType", "Rows"],
            ["-P", "QueryRetrieveLevel=PATIENT", "PatientID", "OtherPatientIDsSequence"],
            ["-S", "QueryRetrieveLevel=IMAGE", "SOPInstanceUID", "Modality=RTPLAN", "FractionGroupSequence", "PatientSetupSequence"],
        ];
        foreach (var row in table)
            yield return new TestCaseData((object)row).SetName("C-FIND " + string.Join(' ', row.Skip(1)));
    }

    [TestCaseSource(nameof(Queries))]
    public void CFind_SameAnswersAsOrthanc(string[] query)
    {
        var findscu = ExternalTools.Require("findscu", "dcmtk");
        ExternalTools.Require("/usr/sbin/Orthanc", "orthanc");
        PydicomCorpus.Require();

        var expected = FindScu.Query(findscu, _pair!.OrthancDicomPort, query).Select(FindScu.Describe).ToList();
        var ours = FindScu.Query(findscu, _pair!.Ours.DicomPort, query).Select(FindScu.Describe).ToList();

        Assert.That(expected, Is.Not.Empty, "the query should find something in the corpus");
        Assert.That(ours, Is.EquivalentTo(expected));
    }

    [Test]
    public void CFind_PrivateKeys_SameMatchesAsOrthancAnsweredFromTheFile()
    {
        // Orthanc applies a private constraint (here the creator) but answers every private key
        // empty, as UN; we answer the stored values with the file's VR (a deliberate difference, README).
        var findscu = ExternalTools.Require("findscu", "dcmtk");
        ExternalTools.Require("/usr/sbin/Orthanc", "orthanc");
        string[] query = ["-S", "QueryRetrieveLevel=IMAGE", "SOPInstanceUID", "Modality=CT", "0009,0010=GEMS_IDEN_01", "0009,1002", "0009,1027", "0011,1010"];
        var theirs = FindScu.Query(findscu, _pair!.OrthancDicomPort, query);
        var ours = FindScu.Query(findscu, _pair.Ours.DicomPort, query);
        Assert.That(ours.Select(a => a.GetString(DicomTags.SOPInstanceUID)), Is.EquivalentTo(theirs.Select(a => a.GetString(DicomTags.SOPInstanceUID))).And.Not.Empty);
        Assert.That(theirs.SelectMany(a => a.Where(e => e.Tag.IsPrivate)).All(e => e.VR == DicomVR.UN), Is.True, "Orthanc answers private keys as UN");

        var index = _pair.Ours.Index;
        foreach (var answer in ours)
        {
            var id = index.LookupIdentifier(ResourceLevel.Instance, DicomTags.SOPInstanceUID, answer.GetString(DicomTags.SOPInstanceUID)!).Single();
            var stored = DicomFile.Parse(_pair.Ours.Storage.Read(index.GetDicomFile(id)!.Uuid)).Dataset;
            foreach (var tag in new[] { new DicomTag(0x00090010), new DicomTag(0x00091002), new DicomTag(0x00091027), new DicomTag(0x00111010) })
            {
                Assert.That(answer.TryGetElement(tag, out var element), Is.True, $"{tag} answered");
                if (stored.TryGetElement(tag, out var original))
                    Assert.That((element!.VR, OrthancTagsConverter.ValueOf(answer, tag)), Is.EqualTo((original!.VR, OrthancTagsConverter.ValueOf(stored, tag))), $"{tag}");
                else
                    Assert.That(((DicomElement)element!).Length, Is.Zero, $"{tag}: not in the file, answered empty");
            }
        }
    }

    [TestCase("PatientName=*")]
    [TestCase("QueryRetrieveLevel=IMAGE", "InstanceNumber=1*")]
    [TestCase("QueryRetrieveLevel=FRAME", "PatientName=*")]
    public void CFind_BadIdentifier_UnableToProcessLikeOrthanc(params string[] keys)
    {
        var findscu = ExternalTools.Require("findscu", "dcmtk");
        ExternalTools.Require("/usr/sbin/Orthanc", "orthanc");
        PydicomCorpus.Require();
        foreach (var port in new[] { _pair!.OrthancDicomPort, _pair!.Ours.DicomPort })
        {
            var log = FindScu.Log(findscu, port, keys);
            Assert.That(log, Does.Contain("Received Final Find Response (Failed: UnableToProcess)"), $"port {port}: {log}");
        }
    }

    [Test]
    public void CFind_NameOutsideLatin1_AnsweredWholeInUtf8()
    {
        var findscu = ExternalTools.Require("findscu", "dcmtk");
        ExternalTools.Require("/usr/sbin/Orthanc", "orthanc"); // the fixture's corpus is what Orthanc accepts
        PydicomCorpus.Require();
        var stored = DicomFile.Open(PydicomCorpus.FullPath("charset_files/chrI2.dcm")).Dataset;
        var patientId = stored.GetString(DicomTags.PatientID)!;

        var answer = FindScu.Query(findscu, _pair!.Ours.DicomPort, ["-P", "QueryRetrieveLevel=PATIENT", "PatientName", $"PatientID={patientId}"]).Single();

        Assert.That(answer.GetString(DicomTags.SpecificCharacterSet), Is.EqualTo("ISO_IR 192"));
        Assert.That(answer.GetString(DicomTags.PatientName), Is.EqualTo(stored.GetString(DicomTags.PatientName)));
        Assert.That(answer.GetString(DicomTags.PatientName), Does.Match("[^\\u0000-\\u00FF]"), "the name really has characters Latin-1 lacks");
    }

    [TestCase("QueryRetrieveLevel=STUDY", "StudyInstanceUID")]
    [TestCase("QueryRetrieveLevel=IMAGE", "SOPInstanceUID")]
    public async Task CFind_PastTheLimit_PartialListAndFinalStatusAsOrthanc(params string[] keys)
    {
        var findscu = ExternalTools.Require("findscu", "dcmtk");
        ExternalTools.Require("/usr/sbin/Orthanc", "orthanc");
        PydicomCorpus.Require();
        await using var pair = ArchivePair.Start(new JsonObject { ["LimitFindResults"] = 3, ["LimitFindInstances"] = 3 });
        string[] files = ["test_files/CT_small.dcm", "test_files/MR_small.dcm", "test_files/rtdose.dcm", "test_files/JPEG2000.dcm", "test_files/rtplan.dcm"];
        Assert.That(await pair.StoreAsync(files), Is.EqualTo(files.Length));

        var (expectedCount, expectedFinal) = FindVerbose(findscu, pair.OrthancDicomPort, keys);
        var (count, final) = FindVerbose(findscu, pair.Ours.DicomPort, keys);
        Assert.That(expectedCount, Is.EqualTo(3), "Orthanc applies the limit");
        Assert.That((count, final), Is.EqualTo((expectedCount, expectedFinal)));
    }

    // The number of answers and dcmtk's line for the final response.
    private static (int Count, string Final) FindVerbose(string findscu, int port, string[] keys)
    {
        var lines = FindScu.Log(findscu, port, keys).Split('\n');
        return (lines.Count(l => l.Contains("Find Response:", StringComparison.Ordinal) && l.Contains("(Pending)", StringComparison.Ordinal)),
            lines.FirstOrDefault(l => l.Contains("Received Final Find Response", StringComparison.Ordinal))?.Trim() ?? "(none)");
    }
}
