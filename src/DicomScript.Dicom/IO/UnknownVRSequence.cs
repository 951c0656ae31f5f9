using DicomScript.Dicom.Data;

namespace DicomScript.Dicom.IO;

/// <summary>
/// CP-246: a sequence sent as UN (a private sequence an implicit-VR converter did not know, or a
/// public one sent by a peer without a dictionary) holds its items in implicit VR little endian,
/// whatever the transfer syntax.
/// </summary>
public static class UnknownVRSequence
{
    /// <summary>The element's bytes read as a sequence, or null when they are not one.</summary>
    public static DicomSequence? TryRead(DicomElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        var bytes = element.RawValue.Span;
        // Items start with (FFFE,E000) in little endian: anything else is not a sequence.
        if (bytes.Length < 8 || bytes[0] != 0xFE || bytes[1] != 0xFF || bytes[2] != 0x00 || bytes[3] != 0xE0)
            return null;
        try
        {
            var builder = new DatasetBuilder();
            new DicomParser(element.RawValue, true, 0, DicomReadOptions.Default, builder).ParseImplicitSequenceValue(element.Tag);
            return builder.Dataset.GetSequence(element.Tag);
        }
        catch (DicomFormatException)
        {
            return null;
        }
    }
}
