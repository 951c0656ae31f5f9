using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using DicomScript.Dicom.Text;

namespace DicomScript.Dicom.Data;

// Typed access to element values. Values are decoded on each call from the stored bytes.
public sealed partial class DicomDataset
{
    /// <summary>
    /// The whole value of a text element, decoded with the dataset's character set, with trailing
    /// padding (spaces, NULs) removed; null when the tag is absent or not a leaf element.
    /// </summary>
    public string? GetString(DicomTag tag) =>
        TryGetElement(tag, out var element) ? DecodeText(element, CharacterSet) : null;

    /// <summary>The values of a multi-valued element as strings (numbers formatted invariantly).</summary>
    public string[] GetStrings(DicomTag tag) =>
        TryGetElement(tag, out var element) ? DecodeValues(element, CharacterSet) : [];

    /// <summary>The first value of a numeric element (binary or IS/DS), or null.</summary>
    public double? GetNumber(DicomTag tag)
    {
        var values = GetStrings(tag);
        return values.Length > 0 && double.TryParse(values[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;
    }

    /// <summary>Adds or replaces a text element, encoded with this dataset's character set and padded to even length.</summary>
    public DicomDataset AddString(DicomTag tag, DicomVR vr, string value) => Add(TextElement(tag, vr, value));

    /// <summary>A text element as <see cref="AddString"/> makes it (this dataset's character set, even length), not added.</summary>
    public DicomElement TextElement(DicomTag tag, DicomVR vr, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!vr.IsString)
            throw new ArgumentException($"{vr} is not a text VR", nameof(vr));
        var bytes = vr.IsCharacterSetSensitive ? CharacterSet.Encode(value) : Encoding.ASCII.GetBytes(value);
        return new DicomElement(tag, vr, PadToEvenLength(bytes, vr.PaddingByte));
    }

    /// <summary>
    /// Adds or replaces an element from its text form, as <see cref="GetStrings"/> gives it: text
    /// VRs as they are, binary numbers (US, SS, UL, SL, FL, FD) parsed from backslash-separated
    /// invariant numbers. An empty text gives an empty element; other VRs are refused.
    /// </summary>
    public DicomDataset AddText(DicomTag tag, DicomVR vr, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (vr.IsString)
            return AddString(tag, vr, text);
        if (text.Length == 0)
            return Add(new DicomElement(tag, vr, ReadOnlyMemory<byte>.Empty));

        var values = text.Split('\\');
        double Number(string v) => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (vr == DicomVR.US)
            return AddUInt16(tag, [.. values.Select(v => checked((ushort)Number(v)))]);
        if (vr == DicomVR.SS)
            return AddNumbers(tag, vr, [.. values.Select(v => checked((short)Number(v)))], static (span, v) => BinaryPrimitives.WriteInt16LittleEndian(span, v));
        if (vr == DicomVR.UL)
            return AddUInt32(tag, [.. values.Select(v => checked((uint)Number(v)))]);
        if (vr == DicomVR.SL)
            return AddNumbers(tag, vr, [.. values.Select(v => checked((int)Number(v)))], static (span, v) => BinaryPrimitives.WriteInt32LittleEndian(span, v));
        if (vr == DicomVR.FL)
            return AddNumbers(tag, vr, [.. values.Select(v => (float)Number(v))], static (span, v) => BinaryPrimitives.WriteSingleLittleEndian(span, v));
        if (vr == DicomVR.FD)
            return AddNumbers(tag, vr, [.. values.Select(Number)], static (span, v) => BinaryPrimitives.WriteDoubleLittleEndian(span, v));
        throw new ArgumentException($"Cannot set {vr} from text", nameof(vr));
    }

    /// <summary>Adds or replaces a US element.</summary>
    public DicomDataset AddUInt16(DicomTag tag, params ushort[] values) =>
        AddNumbers(tag, DicomVR.US, values, static (span, v) => BinaryPrimitives.WriteUInt16LittleEndian(span, v));

    /// <summary>Adds or replaces a UL element.</summary>
    public DicomDataset AddUInt32(DicomTag tag, params uint[] values) =>
        AddNumbers(tag, DicomVR.UL, values, static (span, v) => BinaryPrimitives.WriteUInt32LittleEndian(span, v));

    private DicomDataset AddNumbers<T>(DicomTag tag, DicomVR vr, T[] values, SpanWriter<T> write)
    {
        ArgumentNullException.ThrowIfNull(values);
        var bytes = new byte[values.Length * vr.ValueSize];
        for (var i = 0; i < values.Length; i++)
            write(bytes.AsSpan(i * vr.ValueSize), values[i]);
        return Add(new DicomElement(tag, vr, bytes));
    }

    private delegate void SpanWriter<in T>(Span<byte> target, T value);

    /// <summary>Adds or replaces a bulk (OB, OW, UN...) element with the given little-endian bytes.</summary>
    public DicomDataset AddBytes(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> bytes) =>
        Add(new DicomElement(tag, vr, bytes.Length % 2 == 0 ? bytes : PadToEvenLength(bytes.ToArray(), 0)));

    /// <summary>Decodes a text element: charset-sensitive VRs with <paramref name="characterSet"/>, others as ASCII.</summary>
    public static string DecodeText(DicomElement element, DicomCharacterSet characterSet)
    {
        ArgumentNullException.ThrowIfNull(element);
        ArgumentNullException.ThrowIfNull(characterSet);
        if (!element.VR.IsString)
            return string.Join('\\', DecodeValues(element, characterSet));
        var bytes = element.RawValue.Span;
        var text = element.VR.IsCharacterSetSensitive ? characterSet.Decode(bytes) : Encoding.Latin1.GetString(bytes);
        return text.TrimEnd(' ', '\0');
    }

    /// <summary>The values of an element: text split at backslashes (except LT, ST, UT, UR), binary numbers formatted.</summary>
    public static string[] DecodeValues(DicomElement element, DicomCharacterSet characterSet)
    {
        ArgumentNullException.ThrowIfNull(element);
        var vr = element.VR;
        if (vr.IsString)
        {
            var text = DecodeText(element, characterSet);
            if (text.Length == 0)
                return [];
            return vr.IsSingleValuedText ? [text] : text.Split('\\');
        }

        if (vr.IsBulk || vr == DicomVR.SQ || !vr.IsKnown)
            return [];
        return BinaryValues.Format(element.GetLittleEndianBytes().Span, vr);
    }

    /// <summary>The bytes, with one <paramref name="padding"/> byte added when their length is odd (values have even lengths).</summary>
    public static byte[] PadToEvenLength(byte[] bytes, byte padding)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length % 2 == 0)
            return bytes;
        var padded = new byte[bytes.Length + 1];
        bytes.CopyTo(padded, 0);
        padded[^1] = padding;
        return padded;
    }
}
