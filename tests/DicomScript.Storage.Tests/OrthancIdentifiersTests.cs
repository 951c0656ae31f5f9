using System.Text.Json.Nodes;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Storage.Identifiers;
using NUnit.Framework;

namespace DicomScript.Storage.Tests;

[TestFixture]
public class OrthancIdentifiersTests : OrthancOracleFixture
{
    // The worked examples of the reference (verified on Orthanc 1.10.1).
    [Test]
    public void Ids_CtSmall_AsTheReferenceExample()
    {
        PydicomCorpus.Require();
        var ids = OrthancIdentifiers.FromDataset(DicomFile.Open(PydicomCorpus.FullPath("test_files/CT_small.dcm")).Dataset);
        Assert.That(ids.PatientHash, Is.EqualTo("fa558bce-587a86d3-ad0da9b3-9d043d9d-4f5c5718"));
        Assert.That(ids.StudyHash, Is.EqualTo("8a8cf898-ca27c490-d0c7058c-929d0581-2bbf104d"));
        Assert.That(ids.SeriesHash, Is.EqualTo("93034833-163e42c3-bc9a428b-194620cf-2c5799e5"));
        Assert.That(ids.InstanceHash, Is.EqualTo("f689ddd2-662f8fe1-8b18180d-ec2a2cee-937917af"));
    }

    [Test]
    public void Ids_MrSmall_AsTheReferenceExample()
    {
        PydicomCorpus.Require();
        var ids = OrthancIdentifiers.FromDataset(DicomFile.Open(PydicomCorpus.FullPath("test_files/MR_small.dcm")).Dataset);
        Assert.That(ids.InstanceHash, Is.EqualTo("2f859814-2cf8fe4f-c7963e7d-d32c018d-66fc8cfa"));
        Assert.That(ids.PatientHash, Is.EqualTo("23755877-c2ffb60d-d0df4093-e1f071a3-68b19506"));
    }

    [Test]
    public void Ids_MissingPatientId_HashOfEmptyString()
    {
        var dataset = new DicomDataset()
            .AddString(DicomTags.StudyInstanceUID, DicomVR.UI, "1.2")
            .AddString(DicomTags.SeriesInstanceUID, DicomVR.UI, "1.2.3")
            .AddString(DicomTags.SOPInstanceUID, DicomVR.UI, "1.2.3.4");
        Assert.That(OrthancIdentifiers.FromDataset(dataset).PatientHash, Is.EqualTo("da39a3ee-5e6b4b0d-3255bfef-95601890-afd80709"));
    }

    [Test]
    public void Ids_PaddedPatientId_PaddingNotHashed()
    {
        var padded = new DicomDataset()
            .Add(new DicomElement(DicomTags.PatientID, DicomVR.LO, "SLOW1 "u8.ToArray()))
            .AddString(DicomTags.StudyInstanceUID, DicomVR.UI, "1.2")
            .AddString(DicomTags.SeriesInstanceUID, DicomVR.UI, "1.2.3")
            .AddString(DicomTags.SOPInstanceUID, DicomVR.UI, "1.2.3.4");
        Assert.That(OrthancIdentifiers.FromDataset(padded).PatientHash, Is.EqualTo(OrthancIdentifiers.Hash("SLOW1")));
    }

    [Test]
    public void Ids_MissingStudyUid_ErrorNamingIt()
    {
        var dataset = new DicomDataset().AddString(DicomTags.SOPInstanceUID, DicomVR.UI, "1.2.3.4");
        var error = Assert.Throws<MissingIdentifierException>(() => OrthancIdentifiers.FromDataset(dataset));
        Assert.That(error!.Tag, Is.EqualTo(DicomTags.StudyInstanceUID));
        Assert.That(error.Message, Does.Contain("StudyInstanceUID"));
    }

    public static IEnumerable<string> Files() => DicomScript.Dicom.Tests.Corpus.CorpusReadTests.ValidFiles();

    /// <summary>Every corpus file Orthanc accepts: the IDs at all four levels equal Orthanc's.</summary>
    [TestCaseSource(nameof(Files))]
    public void Ids_CorpusFile_SameAsOrthanc(string file)
    {
        var orthanc = RequireOrthanc();
        var bytes = File.ReadAllBytes(PydicomCorpus.FullPath(file));
        var (id, answer) = orthanc.Upload(bytes);
        if (id is null)
        {
            // Orthanc refuses files without the four UIDs; so must we.
            Assert.That(answer, Does.StartWith("404").Or.StartWith("400"));
            if (answer.StartsWith("404", StringComparison.Ordinal))
                Assert.Throws<MissingIdentifierException>(() => OrthancIdentifiers.FromDataset(DicomFile.Parse(bytes).Dataset));
            return;
        }

        var posted = JsonNode.Parse(answer)!;
        orthanc.Delete($"instances/{id}");
        var ids = OrthancIdentifiers.FromDataset(DicomFile.Parse(bytes).Dataset);
        Assert.That(ids.InstanceHash, Is.EqualTo(id));
        Assert.That(ids.SeriesHash, Is.EqualTo(posted["ParentSeries"]!.GetValue<string>()));
        Assert.That(ids.StudyHash, Is.EqualTo(posted["ParentStudy"]!.GetValue<string>()));
        Assert.That(ids.PatientHash, Is.EqualTo(posted["ParentPatient"]!.GetValue<string>()));
    }
}
