namespace DicomScript.Dicom.Uids;

/// <summary>What a well-known UID identifies.</summary>
public enum DicomUidKind
{
    Other,
    TransferSyntax,
    StorageSopClass,
}

/// <summary>A well-known UID with dcmtk's name for it.</summary>
public sealed record DicomUidInfo(string Uid, string Name, DicomUidKind Kind);
