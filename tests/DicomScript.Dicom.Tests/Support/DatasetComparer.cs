using DicomScript.Dicom.Data;

namespace DicomScript.Dicom.Tests.Support;

/// <summary>
/// Compares two datasets by content: the same tags in the same structure, the same values once both
/// are in little-endian order (a value may have gained one padding byte). Group lengths are left
/// out, as the writer does not write them, and so is trailing padding (FFFC,FFFC), which has no
/// content: dcmtk drops it when it writes, an instance sent as stored keeps it.
/// </summary>
public static class DatasetComparer
{
    /// <param name="expected">The dataset as first read.</param>
    /// <param name="actual">The dataset read back.</param>
    /// <param name="compareVRs">False after a trip through implicit VR, where VRs come from the dictionary.</param>
    public static List<string> Differences(DicomDataset expected, DicomDataset actual, bool compareVRs)
    {
        var differences = new List<string>();
        Compare(expected, actual, compareVRs, "", differences);
        return differences;
    }

    private static bool IsContent(DicomItem item) => !item.Tag.IsGroupLength && item.Tag != Dictionary.DicomTags.DataSetTrailingPadding;

    private static void Compare(DicomDataset expected, DicomDataset actual, bool compareVRs, string path, List<string> differences)
    {
        var a = expected.Where(IsContent).ToList();
        var b = actual.Where(IsContent).ToList();
        if (a.Count != b.Count)
            differences.Add($"{path}: {a.Count} items expected, {b.Count} read back ({string.Join(" ", a.Select(i => i.Tag).Except(b.Select(i => i.Tag)))})");
        foreach (var (x, original) in a.Zip(b))
        {
            var y = original;
            var where = $"{path}/{x.Tag}";
            if (x.Tag != y.Tag)
            {
                differences.Add($"{where}: tag {y.Tag} read back");
                return;
            }

            // A sequence a converter sent as UN (CP-246) is the same content: compare it as a sequence.
            if (x is DicomSequence && y is DicomElement { VR: var unknownVR } asUnknown && unknownVR == DicomVR.UN
                && Dicom.IO.UnknownVRSequence.TryRead(asUnknown) is { } reread)
                y = reread;
            else if (compareVRs && x.VR != y.VR)
                differences.Add($"{where}: VR {x.VR} expected, {y.VR} read back");
            switch (x, y)
            {
                case (DicomElement ex, DicomElement ey) when ex.VR.IsString && ey.VR.IsString:
                    // Text compares by value: leading and trailing spaces of each value carry nothing (PS3.5 §6.2).
                    if (!TextValues(ex, expected).SequenceEqual(TextValues(ey, actual)))
                        differences.Add($"{where}: text differs ([{string.Join('\\', TextValues(ex, expected))}] expected, [{string.Join('\\', TextValues(ey, actual))}] read back)");
                    break;
                case (DicomElement ex, DicomElement ey):
                    if (!SameBytes(ex.GetLittleEndianBytes().Span, ey.GetLittleEndianBytes().Span))
                        differences.Add($"{where}: value differs ({ex.Length} bytes expected, {ey.Length} read back)");
                    break;
                case (DicomSequence sx, DicomSequence sy):
                    if (sx.Items.Count != sy.Items.Count)
                        differences.Add($"{where}: {sx.Items.Count} items expected, {sy.Items.Count} read back");
                    for (var i = 0; i < Math.Min(sx.Items.Count, sy.Items.Count); i++)
                        Compare(sx.Items[i], sy.Items[i], compareVRs, $"{where}[{i}]", differences);
                    break;
                case (DicomFragmentSequence fx, DicomFragmentSequence fy):
                    if (!SameBytes(fx.OffsetTable.Span, fy.OffsetTable.Span) || fx.Fragments.Count != fy.Fragments.Count
                        || fx.Fragments.Zip(fy.Fragments).Any(p => !SameBytes(p.First.Span, p.Second.Span)))
                        differences.Add($"{where}: fragments differ");
                    break;
                default:
                    differences.Add($"{where}: {x.GetType().Name} expected, {y.GetType().Name} read back");
                    break;
            }

            if (differences.Count > 20)
                return;
        }
    }

    private static IEnumerable<string> TextValues(DicomElement element, DicomDataset owner) =>
        DicomDataset.DecodeValues(element, owner.CharacterSet).Select(v => element.VR.IsSingleValuedText ? v.TrimEnd(' ') : v.Trim(' '));

    // Equal, or equal but for the one padding byte the writer adds to an odd-length value.
    private static bool SameBytes(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual) =>
        expected.SequenceEqual(actual)
        || expected.Length % 2 == 1 && actual.Length == expected.Length + 1 && actual.StartsWith(expected);
}
