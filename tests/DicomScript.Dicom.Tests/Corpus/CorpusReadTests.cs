using System.Globalization;
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

        var mismatches = new List<string>();
        for (var i = 0; i < Math.Max(ours.Count, theirs.Count); i++)
        {
            if (i >= ours.Count)
            {
                mismatches.Add($"missing in ours: {theirs[i]}");
                continue;
            }

            if (i >= theirs.Count)
            {
                mismatches.Add($"extra in ours: {ours[i].Item}");
                continue;
            }

            var difference = Compare(ours[i], theirs[i]);
            if (difference is not null)
                mismatches.Add(difference);
            if (mismatches.Count > 20)
                break;
        }

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

    private static string? Compare(OurListing.Element ours, DumpedElement theirs)
    {
        var item = ours.Item;
        var where = $"{item.Tag.ToDcmtkString()} at depth {ours.Depth}";
        if (item.Tag.ToString() != theirs.Tag || ours.Depth != theirs.Depth)
            return $"order: ours {item.Tag.ToDcmtkString()} depth {ours.Depth}, dcmdump {theirs}";
        if (item.VR.Code != theirs.VR)
            return $"{where}: VR ours {item.VR}, dcmdump {theirs.VR}";
        if (item is not DicomElement element)
            return null;

        // +U8 converts text to UTF-8, so the lengths of charset-dependent text differ; its value is compared.
        // dcmtk pads an odd-length value by one byte when it loads it.
        var lengthMatches = element.Length == theirs.Length || element.Length % 2 == 1 && element.Length + 1 == theirs.Length;
        if (theirs.Length >= 0 && !lengthMatches && !element.VR.IsCharacterSetSensitive)
            return $"{where}: length ours {element.Length}, dcmdump {theirs.Length}";
        if (element.VR.IsBulk || theirs.Value is null)
            return null; // bulk data: the length is the comparison (values are compared by the round-trip tests)

        var theirValue = theirs.Value == "(no value available)" ? "" : theirs.Value;
        var characterSet = ours.Owner.CharacterSet;
        if (element.VR.IsString)
        {
            var ourText = DicomDataset.DecodeText(element, characterSet);
            var theirText = theirValue.StartsWith('[') && theirValue.EndsWith(']') ? theirValue[1..^1] : theirValue;
            if (element.VR.IsCharacterSetSensitive && (!theirs.TextIsUnicode || theirText.Contains('\uFFFD', StringComparison.Ordinal)))
                return null; // dcmdump could not convert this text (ISO 2022 in iconv, or raw bytes): the charset tests check it against pydicom
            // We treat trailing NULs in text as padding (real writers pad with them); dcmtk shows them.
            theirText = theirText.TrimEnd('\0');
            return ourText == theirText ? null : $"{where} {element.VR}: ours [{ourText}], dcmdump [{theirText}]";
        }

        var ourValues = DicomDataset.DecodeValues(element, characterSet);
        var theirValues = theirValue.Length == 0 ? [] : theirValue.Split('\\');
        if (element.VR == DicomVR.AT)
            theirValues = [.. theirValues.Select(v => v.Trim('(', ')'))];
        if (ourValues.Length != theirValues.Length)
            return $"{where}: {ourValues.Length} values ours, {theirValues.Length} dcmdump";
        for (var v = 0; v < ourValues.Length; v++)
        {
            if (!SameNumber(ourValues[v], theirValues[v], element.VR))
                return $"{where} {element.VR}: value {v} ours {ourValues[v]}, dcmdump {theirValues[v]}";
        }

        return null;
    }

    private static bool SameNumber(string ours, string theirs, DicomVR vr)
    {
        if (vr != DicomVR.FL && vr != DicomVR.FD)
            return ours == theirs;
        if (!double.TryParse(ours, NumberStyles.Float, CultureInfo.InvariantCulture, out var a)
            || !double.TryParse(theirs, NumberStyles.Float, CultureInfo.InvariantCulture, out var b))
            return ours == theirs;
        if (double.IsNaN(a) || double.IsNaN(b))
            return double.IsNaN(a) && double.IsNaN(b);
        if (vr == DicomVR.FL)
            return (float)a == (float)b; // both are printings of the same single-precision value
        return a == b || Math.Abs(a - b) <= 1e-15 * Math.Max(Math.Abs(a), Math.Abs(b));
    }
}
