using System.Security.Cryptography;
using System.Text;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.Json;

namespace DicomScript.Storage.Identifiers;

/// <summary>
/// Orthanc's resource IDs: SHA-1 of the DICOM identifiers joined with '|' (PatientID;
/// PatientID|StudyInstanceUID; ...|SeriesInstanceUID; ...|SOPInstanceUID), lower-case hex in five
/// groups of eight. The values are taken as Orthanc reads them (padding removed, decoded, UTF-8),
/// so the IDs equal the real Orthanc's for the same file.
/// </summary>
public sealed record OrthancIdentifiers(string PatientId, string StudyInstanceUid, string SeriesInstanceUid, string SopInstanceUid)
{
    /// <summary>The identifiers of a dataset; a missing PatientID is "", a missing UID is an error (as in Orthanc).</summary>
    public static OrthancIdentifiers FromDataset(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return new OrthancIdentifiers(
            OrthancTagsConverter.ValueOf(dataset, DicomTags.PatientID) ?? "",
            Required(dataset, DicomTags.StudyInstanceUID),
            Required(dataset, DicomTags.SeriesInstanceUID),
            Required(dataset, DicomTags.SOPInstanceUID));
    }

    private static string Required(DicomDataset dataset, DicomTag tag) =>
        OrthancTagsConverter.ValueOf(dataset, tag) is { Length: > 0 } value
            ? value
            : throw new MissingIdentifierException(tag);

    public string PatientHash => Hash(PatientId);

    public string StudyHash => Hash($"{PatientId}|{StudyInstanceUid}");

    public string SeriesHash => Hash($"{PatientId}|{StudyInstanceUid}|{SeriesInstanceUid}");

    public string InstanceHash => Hash($"{PatientId}|{StudyInstanceUid}|{SeriesInstanceUid}|{SopInstanceUid}");

    public string HashOf(ResourceLevel level) => level switch
    {
        ResourceLevel.Patient => PatientHash,
        ResourceLevel.Study => StudyHash,
        ResourceLevel.Series => SeriesHash,
        _ => InstanceHash,
    };

    /// <summary>SHA-1 of the UTF-8 text as Orthanc formats it: xxxxxxxx-xxxxxxxx-xxxxxxxx-xxxxxxxx-xxxxxxxx.</summary>
    public static string Hash(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // SHA-1 is what Orthanc uses: the IDs are names, not a security measure, and must match Orthanc's.
#pragma warning disable CA5350
        var hex = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5350
        return string.Create(44, hex, static (span, h) =>
        {
            for (int i = 0, o = 0; i < 40; i += 8)
            {
                if (i > 0)
                    span[o++] = '-';
                h.AsSpan(i, 8).CopyTo(span[o..]);
                o += 8;
            }
        });
    }
}

/// <summary>A dataset without one of the UIDs Orthanc needs to file it (Orthanc answers "Inexistent tag").</summary>
public sealed class MissingIdentifierException : Exception
{
    public MissingIdentifierException(DicomTag tag)
        : base($"the dataset has no {TagNames.Name(tag, new DicomDataset())} ({tag})")
    {
        Tag = tag;
    }

    public MissingIdentifierException()
        : base("the dataset lacks an identifier")
    {
    }

    public MissingIdentifierException(string message)
        : base(message)
    {
    }

    public MissingIdentifierException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DicomTag Tag { get; }
}
