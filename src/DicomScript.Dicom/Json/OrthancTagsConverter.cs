using System.Buffers.Binary;
using System.Text;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.Text;

namespace DicomScript.Dicom.Json;

/// <summary>
/// Converts a dataset to the element model of Orthanc 1.10.1's <c>/instances/{id}/tags</c>, following
/// its rules (dcmtk's string padding, 256-byte limit, printf-style floats, AT and integer quirks,
/// names from dcmtk's dictionaries). Where Orthanc garbles text (Shift-JIS backslashes, character
/// sets ignored inside sequence items, ISO 2022 with several sets) we decode correctly instead.
/// </summary>
public static class OrthancTagsConverter
{
    /// <summary>Orthanc's ORTHANC_MAXIMUM_TAG_LENGTH: longer values (in UTF-8 bytes) are "TooLong".</summary>
    public const int MaximumTagLength = 256;

    private static readonly DicomTag PixelData = new(0x7FE0, 0x0010);

    /// <summary>The elements of a dataset as Orthanc lists them (top-level tags after Pixel Data left out).</summary>
    public static IReadOnlyList<OrthancTagNode> Convert(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return ConvertItem(dataset, topLevel: true);
    }

    private static List<OrthancTagNode> ConvertItem(DicomDataset dataset, bool topLevel)
    {
        var characterSet = dataset.CharacterSet;
        var nodes = new List<OrthancTagNode>(dataset.Count);
        foreach (var item in dataset)
        {
            if (topLevel && item.Tag > PixelData)
                break; // Orthanc reads stored files only up to the pixel data
            var name = Name(item.Tag, dataset);
            nodes.Add(item switch
            {
                DicomSequence sequence => new OrthancTagNode(item.Tag, name, null, OrthancValueType.Sequence, null,
                    [.. sequence.Items.Select(i => (IReadOnlyList<OrthancTagNode>)ConvertItem(i, topLevel: false))]),
                DicomElement element => ConvertLeaf(element, dataset, characterSet, name),
                _ => new OrthancTagNode(item.Tag, name, TagNames.PrivateCreatorOf(item.Tag, dataset), OrthancValueType.Null, null, null),
            });
        }

        return nodes;
    }

    /// <summary>
    /// The value of one top-level element as Orthanc reads it (padding removed, decoded, never cut at
    /// 256 bytes), or null when absent or not text: what Orthanc hashes into resource IDs and keeps as
    /// main DICOM tags.
    /// </summary>
    public static string? ValueOf(DicomDataset dataset, DicomTag tag)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return dataset.TryGetElement(tag, out var element)
            ? LeafValue(element, dataset.CharacterSet, TagNames.PrivateCreatorOf(tag, dataset))
            : null;
    }

    /// <summary>The name Orthanc shows: dcmtk's keyword, with Orthanc's few overrides.</summary>
    public static string Name(DicomTag tag, DicomDataset owner)
    {
        // dcmtk 3.6.7 retired (0010,1000); Orthanc keeps its own name for it.
        if (tag.Value == 0x00101000)
            return "OtherPatientIDs";
        return TagNames.Name(tag, owner);
    }

    private static OrthancTagNode ConvertLeaf(DicomElement element, DicomDataset owner, DicomCharacterSet characterSet, string name)
    {
        var creator = TagNames.PrivateCreatorOf(element.Tag, owner);
        var value = LeafValue(element, characterSet, creator);
        if (value is null)
            return new OrthancTagNode(element.Tag, name, creator, OrthancValueType.Null, null, null);
        if (Encoding.UTF8.GetByteCount(value) > MaximumTagLength)
            return new OrthancTagNode(element.Tag, name, creator, OrthancValueType.TooLong, null, null);
        return new OrthancTagNode(element.Tag, name, creator, OrthancValueType.String, value, null);
    }

    private static string? LeafValue(DicomElement element, DicomCharacterSet characterSet, string? creator)
    {
        var vr = element.VR;
        if (vr.IsString)
            return PaddedText(element.RawValue.Span, vr, characterSet);
        if (vr == DicomVR.US || vr == DicomVR.SS || vr == DicomVR.UL || vr == DicomVR.SL || vr == DicomVR.FL || vr == DicomVR.FD)
            return Numbers(element.GetLittleEndianBytes().Span, vr);
        if (vr == DicomVR.AT)
            return element.Length >= 4 ? BinaryValues.Format(element.GetLittleEndianBytes().Span[..4], vr)[0] : null;
        if (vr == DicomVR.UN)
            return UnknownVRText(element, characterSet, creator);
        return null; // OB, OW, OF, OD, OL, OV, SV, UV: binary, shown as null
    }

    // dcmtk's getString() then a C string: an even-length value loses its trailing padding (NUL for
    // UI, space otherwise), an odd-length one keeps it; the value ends at the first NUL; UI loses
    // every white-space character.
    private static string PaddedText(ReadOnlySpan<byte> raw, DicomVR vr, DicomCharacterSet characterSet)
    {
        Span<byte> buffer = raw.Length <= 1024 ? stackalloc byte[raw.Length] : new byte[raw.Length];
        var length = 0;
        if (vr == DicomVR.UI)
        {
            foreach (var b in raw)
            {
                if (b is not ((byte)' ' or >= 0x09 and <= 0x0D))
                    buffer[length++] = b;
            }

            while (length > 0 && buffer[length - 1] == 0)
                length--;
        }
        else
        {
            raw.CopyTo(buffer);
            length = raw.Length;
            if (length % 2 == 0)
            {
                while (length > 0 && buffer[length - 1] == (byte)' ')
                    length--;
            }
        }

        var text = buffer[..length];
        var nul = text.IndexOf((byte)0);
        if (nul >= 0)
            text = text[..nul];
        return vr.IsCharacterSetSensitive ? characterSet.Decode(text) : Encoding.Latin1.GetString(text);
    }

    // All values when the length holds more than one whole value, else the first; nothing when empty.
    private static string? Numbers(ReadOnlySpan<byte> bytes, DicomVR vr)
    {
        var size = vr.ValueSize;
        if (bytes.Length < size)
            return null;
        var count = bytes.Length > size && bytes.Length % size == 0 ? bytes.Length / size : 1;
        var sb = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
                sb.Append('\\');
            var value = bytes.Slice(i * size, size);
            if (vr == DicomVR.FL)
                sb.Append(PrintfDouble.Format(BinaryPrimitives.ReadSingleLittleEndian(value)));
            else if (vr == DicomVR.FD)
                sb.Append(PrintfDouble.Format(BinaryPrimitives.ReadDoubleLittleEndian(value)));
            else
                sb.Append(BinaryValues.Format(value, vr)[0]);
        }

        return sb.ToString();
    }

    // An explicit UN element is shown as text when the dictionary says the tag holds text: public
    // tags decoded with the character set (one trailing NUL dropped, spaces kept); private tags only
    // when every byte is printable ASCII.
    private static string? UnknownVRText(DicomElement element, DicomCharacterSet characterSet, string? creator)
    {
        // Private creator elements are LO by definition (dcmtk's range entry); other private tags
        // need their creator's dictionary.
        var entry = element.Tag.IsPrivate && !element.Tag.IsPrivateCreator
            ? creator is null ? null : DicomDictionary.FindPrivate(element.Tag, creator)
            : DicomDictionary.Find(element.Tag);
        if (entry is null || entry.ValueRepresentations.Count == 0 || !entry.ValueRepresentations[0].IsString)
            return null;
        var bytes = element.RawValue.Span;
        if (bytes.Length > 0 && bytes.Length % 2 == 0 && bytes[^1] == 0)
            bytes = bytes[..^1];
        if (!element.Tag.IsPrivate)
        {
            var nul = bytes.IndexOf((byte)0);
            return characterSet.Decode(nul >= 0 ? bytes[..nul] : bytes);
        }

        foreach (var b in bytes)
        {
            if (b == 0 || b > 0x7F || (b < 0x20 && b != (byte)'\n') || b == 0x7F)
                return null;
        }

        return Encoding.ASCII.GetString(bytes);
    }
}
