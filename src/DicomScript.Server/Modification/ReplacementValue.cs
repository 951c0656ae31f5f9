using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;

namespace DicomScript.Server.Modification;

/// <summary>
/// Builds the attribute a "Replace" value stands for, as Orthanc does: a JSON string is the value
/// in the tag's dictionary VR (numbers parsed, binary VRs take the bytes, a
/// <c>data:application/octet-stream;base64,</c> URI is decoded), null is an empty value, an array
/// of objects is a sequence (the tag must be one). Private tags take their VR from the private
/// dictionary under the request's PrivateCreator, else they are written as UN.
/// </summary>
internal static class ReplacementValue
{
    private const string BinaryDataUri = "data:application/octet-stream;base64,";

    public static DicomItem Create(DicomTag tag, JsonNode? value, DicomDataset target, string privateCreator)
    {
        switch (value)
        {
            case null:
                return Element(tag, "", target, privateCreator);
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                return Element(tag, v.GetValue<string>(), target, privateCreator);
            case JsonArray items:
                if (VROf(tag, privateCreator) != DicomVR.SQ)
                    throw BadType(tag);
                var sequence = new DicomSequence(tag);
                foreach (var item in items)
                    sequence.Items.Add(Item(item, target, privateCreator));
                return sequence;
            default:
                throw BadType(tag);
        }
    }

    private static DicomDataset Item(JsonNode? item, DicomDataset target, string privateCreator)
    {
        var dataset = new DicomDataset();
        switch (item)
        {
            case JsonObject members:
                foreach (var (name, member) in members)
                {
                    var tag = ModificationRequest.ParseTag(name);
                    dataset.Add(Create(tag, member, target, privateCreator));
                }

                return dataset;
            case JsonArray { Count: 0 }:
                // Lua cannot tell an empty table from an empty array: both are an empty item.
                return dataset;
            default:
                throw new ModificationException(OrthancError.BadParameterType, "");
        }
    }

    private static ModificationException BadType(DicomTag tag) =>
        new(OrthancError.BadParameterType, "Bad Parameter type for tag " + Format(tag));

    /// <summary>Orthanc's way of writing a tag in messages: <c>0010,1002</c>.</summary>
    public static string Format(DicomTag tag) => tag.ToString().ToLowerInvariant();

    /// <summary>The VR a new attribute gets: the dictionary's (the private one's under the creator), UN when unknown.</summary>
    public static DicomVR VROf(DicomTag tag, string privateCreator) => EntryOf(tag, privateCreator)?.DefaultVR ?? DicomVR.UN;

    private static DicomDictionaryEntry? EntryOf(DicomTag tag, string privateCreator) =>
        !tag.IsPrivate || tag.IsPrivateCreator ? DicomDictionary.Find(tag)
        : privateCreator.Length > 0 ? DicomDictionary.FindPrivate(tag, privateCreator)
        : null;

    private static DicomElement Element(DicomTag tag, string text, DicomDataset target, string privateCreator)
    {
        byte[]? decoded = text.StartsWith(BinaryDataUri, StringComparison.Ordinal) ? DecodeDataUri(text) : null;
        var vrs = EntryOf(tag, privateCreator)?.ValueRepresentations ?? [];
        var vr = vrs.Count > 0 ? vrs[0] : DicomVR.UN;

        // Tags that are US or SS take the sign of the value; OB or OW ones are bytes.
        if (vrs.Contains(DicomVR.US) && vrs.Contains(DicomVR.SS))
            vr = text.Contains('\\', StringComparison.Ordinal) ? DicomVR.US : text.Contains('-', StringComparison.Ordinal) ? DicomVR.SS : DicomVR.US;
        if (vrs.Contains(DicomVR.OB) && vrs.Contains(DicomVR.OW))
            vr = DicomVR.OB;
        if (vr == DicomVR.OB || vr == DicomVR.OW || vr == DicomVR.UN)
        {
            var bytes = decoded ?? target.CharacterSet.Encode(text);
            if (vr == DicomVR.OW && bytes.Length % 2 != 0)
                throw new ModificationException(OrthancError.InternalError, "A tag with OW VR must have an even number of bytes");
            return new DicomElement(tag, vr, DicomDataset.PadToEvenLength(bytes, 0));
        }

        if (text.Length == 0 && decoded is null)
            return new DicomElement(tag, vr, ReadOnlyMemory<byte>.Empty);
        if (vr.IsString)
        {
            return decoded is null
                ? target.TextElement(tag, vr, text)
                : new DicomElement(tag, vr, DicomDataset.PadToEvenLength(decoded, vr.PaddingByte));
        }

        var value = decoded is null ? text : Encoding.Latin1.GetString(decoded);
        return Number(tag, vr, value) ?? throw OutOfRange(tag, value);
    }

    // One binary number, as boost::lexical_cast reads it; null when it does not parse or fit.
    private static DicomElement? Number(DicomTag tag, DicomVR vr, string text)
    {
        const NumberStyles integer = NumberStyles.AllowLeadingSign;
        var culture = CultureInfo.InvariantCulture;
        byte[] bytes;
        if (vr == DicomVR.US && ushort.TryParse(text, integer, culture, out var us))
            BinaryPrimitives.WriteUInt16LittleEndian(bytes = new byte[2], us);
        else if (vr == DicomVR.SS && short.TryParse(text, integer, culture, out var ss))
            BinaryPrimitives.WriteInt16LittleEndian(bytes = new byte[2], ss);
        else if ((vr == DicomVR.UL || vr == DicomVR.OL) && uint.TryParse(text, integer, culture, out var ul))
            BinaryPrimitives.WriteUInt32LittleEndian(bytes = new byte[4], ul);
        else if (vr == DicomVR.SL && int.TryParse(text, integer, culture, out var sl))
            BinaryPrimitives.WriteInt32LittleEndian(bytes = new byte[4], sl);
        else if ((vr == DicomVR.FL || vr == DicomVR.OF) && float.TryParse(text, NumberStyles.Float, culture, out var fl))
            BinaryPrimitives.WriteSingleLittleEndian(bytes = new byte[4], fl);
        else if ((vr == DicomVR.FD || vr == DicomVR.OD) && double.TryParse(text, NumberStyles.Float, culture, out var fd))
            BinaryPrimitives.WriteDoubleLittleEndian(bytes = new byte[8], fd);
        else if (vr == DicomVR.AT && TryParseAttributeTag(text, out var at))
        {
            bytes = new byte[4];
            BinaryPrimitives.WriteUInt16LittleEndian(bytes, at.Group);
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2), at.Element);
        }
        else
            return null;
        return new DicomElement(tag, vr, bytes);
    }

    private static bool TryParseAttributeTag(string text, out DicomTag tag)
    {
        try
        {
            tag = ModificationRequest.ParseTag(text);
            return true;
        }
        catch (ModificationException)
        {
            tag = default;
            return false;
        }
    }

    private static ModificationException OutOfRange(DicomTag tag, string value) =>
        new(OrthancError.BadFileFormat, $"While creating a DICOM instance, tag ({Format(tag)}) has out-of-range value: \"{value}\"");

    private static byte[] DecodeDataUri(string text)
    {
        try
        {
            return Convert.FromBase64String(text[BinaryDataUri.Length..]);
        }
        catch (FormatException)
        {
            throw new ModificationException(OrthancError.BadFileFormat, "");
        }
    }
}
