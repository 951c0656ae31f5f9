using DicomScript.Dicom.Data;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Dicom.Tests.Corpus;

/// <summary>Every file of pydicom's corpus, read by us and by dcmtk's dcmdump: the same elements.</summary>
[TestFixture]
public class CorpusReadTests
{
    public static IEnumerable<string> ValidFiles() =>
        Cases(PydicomCorpus.ValidFiles().Where(f => !PydicomCorpus.DcmdumpCannotRead.Contains(f)));

    public static IEnumerable<string> FilesOnlyPydicomReads() => PydicomCorpus.DcmdumpCannotRead.Order(StringComparer.Ordinal);

    public static IEnumerable<string> InvalidFiles() => PydicomCorpus.Invalid.Keys.Order(StringComparer.Ordinal);

    // With the corpus missing there is still one case, which reports the missing package.
    private static List<string> Cases(IEnumerable<string> files)
    {
        var list = files.ToList();
        return list.Count > 0 ? list : ["(pydicom corpus not installed)"];
    }

    [TestCaseSource(nameof(ValidFiles))]
    public void Read_CorpusFile_SameElementsAsDcmdump(string file)
    {
        PydicomCorpus.Require();
        var path = PydicomCorpus.FullPath(file);
        var theirs = Dcmdump.Read(path);
        var ours = OurListing.Flatten(DicomFile.Open(path));

        var mismatches = DcmdumpComparison.Differences(ours, theirs);
        Assert.That(mismatches, Is.Empty, $"{file}: {ours.Count} elements ours, {theirs.Count} dcmdump");
    }

    [TestCaseSource(nameof(FilesOnlyPydicomReads))]
    public void Read_FileDcmdumpRejects_SameElementsAsPydicom(string file)
    {
        PydicomCorpus.Require();
        var path = PydicomCorpus.FullPath(file);
        var theirs = Pydicom.Read(path);
        var ours = OurListing.Flatten(DicomFile.Open(path)).Where(e => e.Item.Tag.Group != 0x0002).ToList();
        Assert.That(ours.Select(e => $"{e.Depth} {e.Item.Tag}"), Is.EqualTo(theirs.Select(e => $"{e.Depth} {e.Tag}")));
        for (var i = 0; i < ours.Count; i++)
        {
            if (ours[i].Item is DicomElement { VR.IsString: true } element)
                Assert.That(DicomDataset.DecodeText(element, ours[i].Owner.CharacterSet), Is.EqualTo(theirs[i].Value), element.Tag.ToString());
        }
    }

    [TestCaseSource(nameof(InvalidFiles))]
    public void Read_InvalidCorpusFile_FormatErrorWithReason(string file)
    {
        PydicomCorpus.Require();
        var path = PydicomCorpus.FullPath(file);
        var error = Assert.Throws<DicomFormatException>(() => DicomFile.Open(path));
        Assert.That(error!.Reason, Is.EqualTo(PydicomCorpus.Invalid[file]), error.Message);
        Assert.That(Dcmdump.Accepts(path), Is.False, "dcmdump reads it, so it is not invalid");
    }
}
