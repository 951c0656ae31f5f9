using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.IO;

namespace DicomScript.Dicom.Json;

/// <summary>
/// The DICOM JSON model of PS3.18 Annex F: <c>{"GGGGEEEE": {"vr": "..", "Value": [...]}}</c>, person
/// names as component-group objects, IS/DS and binary numbers as JSON numbers, bulk data inline as
/// base64. Group lengths are left out (F.2.2 allows it; they carry nothing).
/// </summary>
public static class DicomJsonModelWriter
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        IndentSize = 3,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string ToJson(DicomDataset dataset)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Options))
            Write(writer, dataset);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    public static void Write(Utf8JsonWriter writer, DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(dataset);
        var characterSet = dataset.CharacterSet;
        writer.WriteStartObject();
        foreach (var item in dataset)
        {
            if (item.Tag.IsGroupLength)
                continue;
            var current = WithDictionaryVR(item);
            writer.WritePropertyName(item.Tag.Value.ToString("X8", CultureInfo.InvariantCulture));
            writer.WriteStartObject();
            writer.WriteString("vr", current.VR.Code);
            switch (current)
            {
                case DicomSequence sequence:
                    if (sequence.Items.Count > 0)
                    {
                        writer.WriteStartArray("Value");
                        foreach (var child in sequence.Items)
                            Write(writer, child);
                        writer.WriteEndArray();
                    }

                    break;
                case DicomFragmentSequence fragments:
                    writer.WriteBase64String("InlineBinary", EncapsulatedValue(fragments));
                    break;
                case DicomElement element:
                    WriteElementValue(writer, element, characterSet);
                    break;
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteElementValue(Utf8JsonWriter writer, DicomElement element, Text.DicomCharacterSet characterSet)
    {
        if (element.Length == 0)
            return;
        var vr = element.VR;
        if (vr.IsBulk || !vr.IsKnown)
        {
            writer.WriteBase64String("InlineBinary", element.GetLittleEndianBytes().Span);
            return;
        }

        if (vr == DicomVR.FL || vr == DicomVR.FD)
        {
            WriteFloats(writer, element.GetLittleEndianBytes().Span, vr);
            return;
        }

        var values = DicomDataset.DecodeValues(element, characterSet);
        writer.WriteStartArray("Value");
        foreach (var value in values)
        {
            var trimmed = value.Trim(' ');
            if (vr == DicomVR.PN)
                WritePersonName(writer, trimmed);
            else if (vr == DicomVR.AT)
                writer.WriteStringValue(trimmed.Replace(",", "", StringComparison.Ordinal).ToUpperInvariant());
            else if (vr == DicomVR.IS || vr == DicomVR.DS || vr.IsBinary)
                WriteNumber(writer, trimmed);
            else if (trimmed.Length == 0)
                writer.WriteNullValue();
            else
                writer.WriteStringValue(vr.IsSingleValuedText ? value : trimmed);
        }

        writer.WriteEndArray();
    }

    // A public tag written as UN (explicit VR, little-endian bytes) is shown with its dictionary VR,
    // as a receiver that knows the tag would read it (PS3.5 §6.2.2 note).
    private static DicomItem WithDictionaryVR(DicomItem item)
    {
        if (item is not DicomElement { VR: var vr } element || vr != DicomVR.UN || element.IsBigEndian)
            return item;
        if (item.Tag.IsPrivateCreator)
            return new DicomElement(item.Tag, DicomVR.LO, element.RawValue);
        if (item.Tag.IsPrivate)
            return item;
        var entry = Dictionary.DicomDictionary.Find(item.Tag);
        if (entry is null || entry.ValueRepresentations.Count != 1 || entry.DefaultVR == DicomVR.UN)
            return item;
        if (entry.DefaultVR == DicomVR.SQ)
            return UnknownVRSequence.TryRead(element) ?? item;
        return new DicomElement(item.Tag, entry.DefaultVR, element.RawValue);
    }

    // The encapsulated value as PS3.5 §A.4 lays it out: each item (offset table first) with its header.
    private static byte[] EncapsulatedValue(DicomFragmentSequence fragments)
    {
        using var stream = new MemoryStream();
        Span<byte> header = stackalloc byte[8];
        foreach (var fragment in fragments.Fragments.Prepend(fragments.OffsetTable))
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(header, 0xE000FFFE);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)fragment.Length);
            stream.Write(header);
            stream.Write(fragment.Span);
        }

        return stream.ToArray();
    }

    // Floats as the exact double they widen to, so a reader parsing doubles gets the stored value.
    private static void WriteFloats(Utf8JsonWriter writer, ReadOnlySpan<byte> bytes, DicomVR vr)
    {
        writer.WriteStartArray("Value");
        for (var i = 0; i + vr.ValueSize <= bytes.Length; i += vr.ValueSize)
        {
            var value = vr == DicomVR.FL
                ? System.Buffers.Binary.BinaryPrimitives.ReadSingleLittleEndian(bytes[i..])
                : System.Buffers.Binary.BinaryPrimitives.ReadDoubleLittleEndian(bytes[i..]);
            if (double.IsFinite(value))
                writer.WriteNumberValue(value);
            else
                writer.WriteNullValue();
        }

        writer.WriteEndArray();
    }

    private static void WriteNumber(Utf8JsonWriter writer, string text)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            writer.WriteNumberValue(integer);
        else if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var unsigned))
            writer.WriteNumberValue(unsigned);
        else if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
            writer.WriteNumberValue(number);
        else
            writer.WriteNullValue(); // empty or not a number: JSON has no spelling for it
    }

    private static void WritePersonName(Utf8JsonWriter writer, string name)
    {
        var groups = name.Split('=');
        string[] keys = ["Alphabetic", "Ideographic", "Phonetic"];
        writer.WriteStartObject();
        for (var i = 0; i < Math.Min(groups.Length, keys.Length); i++)
        {
            if (groups[i].Length > 0)
                writer.WriteString(keys[i], groups[i]);
        }

        writer.WriteEndObject();
    }
}
