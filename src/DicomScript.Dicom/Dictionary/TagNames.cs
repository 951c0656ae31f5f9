using System.Text;
using DicomScript.Dicom.Data;

namespace DicomScript.Dicom.Dictionary;

/// <summary>Names of tags as dcmtk (and so Orthanc) shows them, private tags included.</summary>
public static class TagNames
{
    /// <summary>dcmtk's name for a tag it does not know.</summary>
    public const string Unknown = "Unknown Tag & Data";

    /// <summary>The private creator string that reserves the block of a private data element, or null.</summary>
    public static string? PrivateCreatorOf(DicomTag tag, DicomDataset owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        if (!tag.IsPrivate || tag.IsPrivateCreator || tag.Element < 0x1000)
            return null;
        // Only an LO creator reserves a block, as in dcmtk (and so Orthanc): one written as UN does not.
        return owner.TryGetElement(tag.PrivateCreatorTag, out var creator) && creator.VR == DicomVR.LO
            ? Encoding.Latin1.GetString(creator.RawValue.Span).Trim(' ', '\0')
            : null;
    }

    /// <summary>The dictionary entry for a tag in the context of the dataset holding it, or null.</summary>
    public static DicomDictionaryEntry? Find(DicomTag tag, DicomDataset owner)
    {
        if (!tag.IsPrivate)
            return DicomDictionary.Find(tag);
        var creator = PrivateCreatorOf(tag, owner);
        return creator is null ? DicomDictionary.Find(tag) : DicomDictionary.FindPrivate(tag, creator);
    }

    /// <summary>The keyword (e.g. <c>PatientName</c>, <c>PrivateCreator</c>) or <see cref="Unknown"/>.</summary>
    public static string Name(DicomTag tag, DicomDataset owner) => Find(tag, owner)?.Keyword ?? Unknown;
}
