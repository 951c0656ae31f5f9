using DicomScript.Dicom.Uids;

namespace DicomScript.Dicom.Data;

/// <summary>How a dataset is encoded: VR explicit or implicit, byte order, deflate, encapsulated pixel data.</summary>
public sealed record DicomTransferSyntax(string Uid, bool IsExplicitVR, bool IsBigEndian, bool IsDeflated, bool IsEncapsulated)
{
    public static readonly DicomTransferSyntax ImplicitVRLittleEndian = new(DicomUids.LittleEndianImplicitTransferSyntax, false, false, false, false);
    public static readonly DicomTransferSyntax ExplicitVRLittleEndian = new(DicomUids.LittleEndianExplicitTransferSyntax, true, false, false, false);
    public static readonly DicomTransferSyntax ExplicitVRBigEndian = new(DicomUids.BigEndianExplicitTransferSyntax, true, true, false, false);
    public static readonly DicomTransferSyntax DeflatedExplicitVRLittleEndian = new(DicomUids.DeflatedExplicitVRLittleEndianTransferSyntax, true, false, true, false);

    /// <summary>The syntaxes whose pixel data is native (not encapsulated), which we can convert between.</summary>
    public static IReadOnlyList<DicomTransferSyntax> Uncompressed { get; } =
        [ImplicitVRLittleEndian, ExplicitVRLittleEndian, ExplicitVRBigEndian, DeflatedExplicitVRLittleEndian];

    /// <summary>dcmtk's name for the UID, or the UID itself.</summary>
    public string Name => DicomUids.Find(Uid)?.Name ?? Uid;

    public bool IsUncompressed => !IsEncapsulated;

    /// <summary>
    /// The syntax for a UID. Any other UID is taken as Explicit VR Little Endian with encapsulated pixel
    /// data: every compressed syntax of the standard is, and so will new ones be.
    /// </summary>
    public static DicomTransferSyntax FromUid(string uid)
    {
        uid = uid.TrimEnd('\0', ' ');
        foreach (var ts in Uncompressed)
        {
            if (ts.Uid == uid)
                return ts;
        }

        // 1.2.840.10008.1.2.1.98 (encapsulated uncompressed, 2023) is explicit LE with fragments too.
        return new DicomTransferSyntax(uid, true, false, false, true);
    }

    public override string ToString() => Name;
}
