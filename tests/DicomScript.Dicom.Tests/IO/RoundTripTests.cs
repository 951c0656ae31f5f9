using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Dicom.Tests.IO;

/// <summary>Read → write → read, in the file's own syntax and in every other uncompressed syntax.</summary>
[TestFixture]
public class RoundTripTests
{
    public static IEnumerable<string> Files() => Corpus.CorpusReadTests.ValidFiles();

    [TestCaseSource(nameof(Files))]
    public void Write_SameSyntax_ReadsBackEqual(string file)
    {
        PydicomCorpus.Require();
        var original = DicomFile.Open(PydicomCorpus.FullPath(file));
        var copy = DicomFile.Parse(DicomWriter.ToBytes(original));

        Assert.That(copy.TransferSyntax.Uid, Is.EqualTo(original.TransferSyntax.Uid));
        Assert.That(DatasetComparer.Differences(original.Dataset, copy.Dataset, compareVRs: original.TransferSyntax.IsExplicitVR), Is.Empty);
    }

    /// <summary>Each uncompressed corpus file with each uncompressed syntax other than its own.</summary>
    public static IEnumerable<TestCaseData> Conversions()
    {
        foreach (var file in Corpus.CorpusReadTests.ValidFiles())
        {
            var own = File.Exists(PydicomCorpus.FullPath(file)) ? DicomFile.OpenHeader(PydicomCorpus.FullPath(file)).TransferSyntax : null;
            if (own is { IsEncapsulated: true })
                continue; // encapsulated pixel data is written only in its own syntax (no codecs)
            foreach (var syntax in DicomTransferSyntax.Uncompressed.Where(s => s.Uid != own?.Uid))
                yield return new TestCaseData(file, syntax.Uid).SetArgDisplayNames(file, syntax.Name);
        }
    }

    /// <summary>
    /// Every uncompressed file written in each uncompressed syntax: we read back the same values, and
    /// dcmdump reads what we wrote and reports the same elements as we do.
    /// </summary>
    [TestCaseSource(nameof(Conversions))]
    public void Write_OtherUncompressedSyntax_DcmdumpReadsSameValues(string file, string targetUid)
    {
        PydicomCorpus.Require();
        var original = DicomFile.Open(PydicomCorpus.FullPath(file));
        var target = DicomTransferSyntax.FromUid(targetUid);

        var path = Path.Combine(Path.GetTempPath(), $"roundtrip-{Guid.NewGuid():N}.dcm");
        try
        {
            DicomWriter.WriteFile(path, original, target);
            var copy = DicomFile.Open(path);
            Assert.That(copy.TransferSyntax.Uid, Is.EqualTo(targetUid));
            var bothExplicit = original.TransferSyntax.IsExplicitVR && target.IsExplicitVR;
            Assert.That(DatasetComparer.Differences(original.Dataset, copy.Dataset, compareVRs: bothExplicit), Is.Empty, "our reading");
            Assert.That(DcmdumpComparison.Differences(OurListing.Flatten(copy), Dcmdump.Read(path)), Is.Empty, "dcmdump's reading");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Write_EncapsulatedToUncompressed_Refused()
    {
        PydicomCorpus.Require();
        var jpeg = DicomFile.Open(PydicomCorpus.FullPath("test_files/JPEG2000.dcm"));
        var error = Assert.Throws<InvalidOperationException>(() => DicomWriter.ToBytes(jpeg, DicomTransferSyntax.ExplicitVRLittleEndian));
        Assert.That(error!.Message, Does.Contain("encapsulated"));
    }

    [Test]
    public void Write_BareDataset_GetsMetaGroupFromDataset()
    {
        PydicomCorpus.Require();
        var bare = DicomFile.Open(PydicomCorpus.FullPath("test_files/ExplVR_LitEndNoMeta.dcm"));
        Assert.That(bare.Meta.Count, Is.Zero);
        var copy = DicomFile.Parse(DicomWriter.ToBytes(bare));
        Assert.That(copy.HasPreamble, Is.True);
        Assert.That(copy.Meta.GetString(DicomTags.MediaStorageSOPInstanceUID),
            Is.EqualTo(bare.Dataset.GetString(DicomTags.SOPInstanceUID)));
        Assert.That(copy.Meta.GetString(DicomTags.TransferSyntaxUID), Is.EqualTo(DicomTransferSyntax.ExplicitVRLittleEndian.Uid));
    }
}
