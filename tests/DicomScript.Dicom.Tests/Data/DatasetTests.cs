using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Dicom.Tests.Data;

[TestFixture]
public class DatasetTests
{
    [TestCase("0010,0020", 0x00100020u)]
    [TestCase("(0010,0020)", 0x00100020u)]
    [TestCase("7FE00010", 0x7FE00010u)]
    [TestCase(" 0008,103e ", 0x0008103Eu)]
    public void DicomTag_TryParse_Forms(string text, uint expected)
    {
        Assert.That(DicomTag.TryParse(text, out var tag), Is.True);
        Assert.That(tag.Value, Is.EqualTo(expected));
    }

    [TestCase("0010")]
    [TestCase("gggg,eeee")]
    [TestCase("")]
    public void DicomTag_TryParse_Garbage_False(string text) => Assert.That(DicomTag.TryParse(text, out _), Is.False);

    [Test]
    public void DicomTag_Formats_OrthancAndDcmtk()
    {
        var tag = new DicomTag(0x7FE0, 0x0010);
        Assert.That(tag.ToString(), Is.EqualTo("7fe0,0010"));
        Assert.That(tag.ToDcmtkString(), Is.EqualTo("(7fe0,0010)"));
        Assert.That(new DicomTag(0x0029, 0x1008).IsPrivate, Is.True);
        Assert.That(new DicomTag(0x0029, 0x0010).IsPrivateCreator, Is.True);
        Assert.That(new DicomTag(0x0029, 0x1108).PrivateCreatorTag, Is.EqualTo(new DicomTag(0x0029, 0x0011)));
    }

    [Test]
    public void Add_OutOfOrder_KeptSortedAndReplacesSameTag()
    {
        var dataset = new DicomDataset()
            .AddString(DicomTags.PatientName, DicomVR.PN, "B")
            .AddString(DicomTags.Modality, DicomVR.CS, "CT")
            .AddString(DicomTags.PatientName, DicomVR.PN, "A");
        Assert.That(dataset.Select(i => i.Tag), Is.EqualTo(new[] { DicomTags.Modality, DicomTags.PatientName }));
        Assert.That(dataset.GetString(DicomTags.PatientName), Is.EqualTo("A"));
        Assert.That(dataset.Remove(DicomTags.Modality), Is.True);
        Assert.That(dataset.Contains(DicomTags.Modality), Is.False);
    }

    [Test]
    public void AddString_OddLength_PaddedWithTheVRsByte()
    {
        var dataset = new DicomDataset()
            .AddString(DicomTags.SOPInstanceUID, DicomVR.UI, "1.2.3")
            .AddString(DicomTags.PatientID, DicomVR.LO, "ABC");
        Assert.That(((DicomElement)dataset.Get(DicomTags.SOPInstanceUID)!).RawValue.ToArray(), Is.EqualTo("1.2.3\0"u8.ToArray()));
        Assert.That(((DicomElement)dataset.Get(DicomTags.PatientID)!).RawValue.ToArray(), Is.EqualTo("ABC "u8.ToArray()));
        Assert.That(dataset.GetString(DicomTags.PatientID), Is.EqualTo("ABC"));
    }

    [Test]
    public void GetStrings_MultiValuedNumbersAndText()
    {
        PydicomCorpus.Require();
        var dataset = DicomFile.Open(PydicomCorpus.FullPath("test_files/CT_small.dcm")).Dataset;
        Assert.That(dataset.GetStrings(DicomTags.ImageType), Is.EqualTo(new[] { "ORIGINAL", "PRIMARY", "AXIAL" }));
        Assert.That(dataset.GetStrings(DicomTags.Rows), Is.EqualTo(new[] { "128" }));
        Assert.That(dataset.GetNumber(DicomTags.Columns), Is.EqualTo(128));
        Assert.That(dataset.GetStrings(DicomTags.PixelSpacing).Length, Is.EqualTo(2));
    }

    [Test]
    public void GetString_BigEndianFile_SameNumbersAsLittleEndian()
    {
        PydicomCorpus.Require();
        var little = DicomFile.Open(PydicomCorpus.FullPath("test_files/MR_small.dcm")).Dataset;
        var big = DicomFile.Open(PydicomCorpus.FullPath("test_files/MR_small_bigendian.dcm")).Dataset;
        Assert.That(big.GetStrings(DicomTags.Rows), Is.EqualTo(little.GetStrings(DicomTags.Rows)));
        Assert.That(big.GetStrings(DicomTags.SmallestImagePixelValue), Is.EqualTo(little.GetStrings(DicomTags.SmallestImagePixelValue)));
        Assert.That(((DicomElement)big.Get(DicomTags.PixelData)!).GetLittleEndianBytes().ToArray(),
            Is.EqualTo(((DicomElement)little.Get(DicomTags.PixelData)!).RawValue.ToArray()));
    }

    [Test]
    public void Clone_ChangingTheCopy_LeavesTheOriginal()
    {
        var item = new DicomDataset().AddString(DicomTags.PatientID, DicomVR.LO, "A");
        var dataset = new DicomDataset().Add(new DicomSequence(DicomTags.OtherPatientIDsSequence, [item]));
        var copy = dataset.Clone();
        copy.GetSequence(DicomTags.OtherPatientIDsSequence)!.Items[0].AddString(DicomTags.PatientID, DicomVR.LO, "B");
        Assert.That(item.GetString(DicomTags.PatientID), Is.EqualTo("A"));
        Assert.That(copy.GetSequence(DicomTags.OtherPatientIDsSequence)!.Items[0].Parent, Is.SameAs(copy));
    }

    [TestCase("US", "512", "512")]
    [TestCase("US", "1\\2\\3", "1\\2\\3")]
    [TestCase("SS", "-5", "-5")]
    [TestCase("UL", "4000000000", "4000000000")]
    [TestCase("SL", "-70000", "-70000")]
    [TestCase("FL", "1.5", "1.5")]
    [TestCase("FD", "-0.25\\3", "-0.25\\3")]
    [TestCase("US", "", "")]
    [TestCase("LO", "A\\B", "A\\B")]
    public void AddText_RoundTripsThroughGetStrings(string vrCode, string text, string expected)
    {
        Assert.That(DicomVR.TryParse(vrCode, out var vr), Is.True);
        var dataset = new DicomDataset().AddText(DicomTags.Rows, vr, text);
        Assert.That(string.Join('\\', dataset.GetStrings(DicomTags.Rows)), Is.EqualTo(expected));
        Assert.That(dataset.Get(DicomTags.Rows)!.VR, Is.EqualTo(vr));
    }

    [Test]
    public void AddText_BadNumberOrBulkVR_Refused()
    {
        Assert.That(() => new DicomDataset().AddText(DicomTags.Rows, DicomVR.US, "70000"), Throws.TypeOf<OverflowException>());
        Assert.That(() => new DicomDataset().AddText(DicomTags.Rows, DicomVR.US, "abc"), Throws.TypeOf<FormatException>());
        Assert.That(() => new DicomDataset().AddText(DicomTags.PixelData, DicomVR.OB, "1"), Throws.ArgumentException);
    }
}
