using System.Globalization;

namespace DicomScript.Dicom.Data;

/// <summary>A DICOM attribute tag (group, element) packed as one 32-bit value.</summary>
public readonly record struct DicomTag(uint Value) : IComparable<DicomTag>
{
    /// <summary>Creates a tag from its group and element numbers.</summary>
    public DicomTag(ushort group, ushort element) : this(((uint)group << 16) | element)
    {
    }

    /// <summary>The group number (the high 16 bits).</summary>
    public ushort Group => (ushort)(Value >> 16);

    /// <summary>The element number (the low 16 bits).</summary>
    public ushort Element => (ushort)Value;

    /// <summary>True for tags of odd groups, which belong to private dictionaries.</summary>
    public bool IsPrivate => (Group & 1) == 1 && Group > 0x0008;

    /// <summary>True for the (gggg,0010)–(gggg,00FF) elements of an odd group that reserve a block.</summary>
    public bool IsPrivateCreator => IsPrivate && Element is >= 0x0010 and <= 0x00FF;

    /// <summary>True for group-length elements (gggg,0000).</summary>
    public bool IsGroupLength => Element == 0;

    /// <summary>
    /// For a private data element (gggg,xxee), the tag of the creator element that reserves its
    /// block: (gggg,00xx). Meaningless for other tags.
    /// </summary>
    public DicomTag PrivateCreatorTag => new(Group, (ushort)(Element >> 8));

    /// <summary>Orders by group, then element, as datasets are encoded.</summary>
    public int CompareTo(DicomTag other) => Value.CompareTo(other.Value);

    /// <summary>Orthanc's form: lower-case <c>gggg,eeee</c>.</summary>
    public override string ToString() => string.Create(9, Value, static (span, v) =>
    {
        ((ushort)(v >> 16)).TryFormat(span, out _, "x4", CultureInfo.InvariantCulture);
        span[4] = ',';
        ((ushort)v).TryFormat(span[5..], out _, "x4", CultureInfo.InvariantCulture);
    });

    /// <summary>dcmtk's form: upper-case <c>(gggg,eeee)</c>.</summary>
    public string ToDcmtkString() => string.Create(CultureInfo.InvariantCulture, $"({Group:x4},{Element:x4})");

    /// <summary>Parses <c>gggg,eeee</c>, <c>(gggg,eeee)</c> or <c>ggggeeee</c> (any case).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out DicomTag tag)
    {
        tag = default;
        text = text.Trim();
        if (text.Length >= 2 && text[0] == '(' && text[^1] == ')')
            text = text[1..^1];
        ReadOnlySpan<char> group, element;
        if (text.Length == 9 && text[4] == ',')
        {
            group = text[..4];
            element = text[5..];
        }
        else if (text.Length == 8)
        {
            group = text[..4];
            element = text[4..];
        }
        else
        {
            return false;
        }

        if (!ushort.TryParse(group, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var g)
            || !ushort.TryParse(element, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var e))
            return false;
        tag = new DicomTag(g, e);
        return true;
    }

    public static bool operator <(DicomTag left, DicomTag right) => left.Value < right.Value;

    public static bool operator >(DicomTag left, DicomTag right) => left.Value > right.Value;

    public static bool operator <=(DicomTag left, DicomTag right) => left.Value <= right.Value;

    public static bool operator >=(DicomTag left, DicomTag right) => left.Value >= right.Value;
}
