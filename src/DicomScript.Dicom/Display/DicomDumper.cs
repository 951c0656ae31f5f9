using System.Globalization;
using System.Text;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;

namespace DicomScript.Dicom.Display;

/// <summary>
/// A listing of a file in the layout of dcmtk's dcmdump, so administrators can read ours beside
/// theirs: <c>(gggg,eeee) VR value  # length, VM Name</c>, two spaces of indent per nesting level.
/// </summary>
public static class DicomDumper
{
    private const int ValueColumn = 40;

    /// <summary>Dumps meta group and dataset.</summary>
    /// <param name="file">The file to list.</param>
    /// <param name="maxValueLength">Longer values are cut with "..."; 0 prints everything.</param>
    public static string Dump(DicomFile file, int maxValueLength = 64)
    {
        ArgumentNullException.ThrowIfNull(file);
        var sb = new StringBuilder();
        if (file.Meta.Count > 0)
        {
            sb.Append("# Dicom-Meta-Information-Header\n");
            DumpDataset(sb, file.Meta, 0, maxValueLength);
            sb.Append('\n');
        }

        sb.Append("# Dicom-Data-Set\n");
        sb.Append(CultureInfo.InvariantCulture, $"# Used TransferSyntax: {file.TransferSyntax.Name}\n");
        DumpDataset(sb, file.Dataset, 0, maxValueLength);
        return sb.ToString();
    }

    private static void DumpDataset(StringBuilder sb, DicomDataset dataset, int depth, int maxValueLength)
    {
        var characterSet = dataset.CharacterSet;
        foreach (var item in dataset)
        {
            var name = TagNames.Name(item.Tag, dataset);
            switch (item)
            {
                case DicomSequence sequence:
                    Line(sb, depth, item, $"(Sequence #={sequence.Items.Count})", "u/l", 1, name);
                    foreach (var child in sequence.Items)
                    {
                        Line(sb, depth + 1, "(fffe,e000) na", $"(Item #={child.Count})", "u/l", 1, "Item");
                        DumpDataset(sb, child, depth + 2, maxValueLength);
                        Line(sb, depth + 1, "(fffe,e00d) na", "(ItemDelimitationItem)", "0", 0, "ItemDelimitationItem");
                    }

                    Line(sb, depth, "(fffe,e0dd) na", "(SequenceDelimitationItem)", "0", 0, "SequenceDelimitationItem");
                    break;
                case DicomFragmentSequence fragments:
                    Line(sb, depth, item, $"(PixelSequence #={fragments.Fragments.Count + 1})", "u/l", 1, name);
                    Line(sb, depth + 1, "(fffe,e000) pi", Hex(fragments.OffsetTable.Span, 1, maxValueLength), Len(fragments.OffsetTable.Length), 1, "Item");
                    foreach (var fragment in fragments.Fragments)
                        Line(sb, depth + 1, "(fffe,e000) pi", Hex(fragment.Span, 1, maxValueLength), Len(fragment.Length), 1, "Item");
                    Line(sb, depth, "(fffe,e0dd) na", "(SequenceDelimitationItem)", "0", 0, "SequenceDelimitationItem");
                    break;
                case DicomElement element:
                    var (text, vm) = FormatValue(element, characterSet, maxValueLength);
                    Line(sb, depth, item, text, Len(element.Length), vm, name);
                    break;
            }
        }
    }

    /// <summary>The value as dcmdump shows it: [text], numbers, hex bytes, or "(no value available)"; and the VM.</summary>
    public static (string Text, int Multiplicity) FormatValue(DicomElement element, Text.DicomCharacterSet characterSet, int maxValueLength = 0)
    {
        ArgumentNullException.ThrowIfNull(element);
        if (element.Length == 0)
            return ("(no value available)", 0);
        var vr = element.VR;
        if (vr.IsString)
        {
            var values = DicomDataset.DecodeValues(element, characterSet);
            var text = DicomDataset.DecodeText(element, characterSet);
            return ("[" + Cut(text, maxValueLength) + "]", Math.Max(values.Length, 1));
        }

        if (vr.IsBulk || !vr.IsKnown)
        {
            var unit = vr == DicomVR.OW ? 2 : 1;
            return (Hex(element.GetLittleEndianBytes().Span, unit, maxValueLength), 1);
        }

        var numbers = DicomDataset.DecodeValues(element, characterSet);
        if (vr == DicomVR.AT)
            numbers = [.. numbers.Select(n => "(" + n + ")")];
        return (Cut(string.Join('\\', numbers), maxValueLength), numbers.Length);
    }

    private static string Hex(ReadOnlySpan<byte> bytes, int unit, int maxValueLength)
    {
        var sb = new StringBuilder();
        for (var i = 0; i + unit <= bytes.Length; i += unit)
        {
            if (i > 0)
                sb.Append('\\');
            if (unit == 2)
                sb.Append(CultureInfo.InvariantCulture, $"{bytes[i + 1]:x2}{bytes[i]:x2}");
            else
                sb.Append(CultureInfo.InvariantCulture, $"{bytes[i]:x2}");
            if (maxValueLength > 0 && sb.Length > maxValueLength)
                break;
        }

        return Cut(sb.ToString(), maxValueLength);
    }

    private static string Cut(string text, int maxValueLength) =>
        maxValueLength > 0 && text.Length > maxValueLength ? text[..maxValueLength] + "..." : text;

    private static string Len(int length) => length.ToString(CultureInfo.InvariantCulture);

    private static void Line(StringBuilder sb, int depth, DicomItem item, string value, string length, int vm, string name) =>
        Line(sb, depth, $"{item.Tag.ToDcmtkString()} {item.VR}", value, length, vm, name);

    private static void Line(StringBuilder sb, int depth, string tagAndVR, string value, string length, int vm, string name)
    {
        // dcmdump pads the value to 40 characters whatever the indent.
        sb.Append(' ', depth * 2).Append(tagAndVR).Append(' ').Append(value.PadRight(ValueColumn));
        sb.Append(CultureInfo.InvariantCulture, $" # {length,3}, {vm} {name}\n");
    }
}
