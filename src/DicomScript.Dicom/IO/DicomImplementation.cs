namespace DicomScript.Dicom.IO;

/// <summary>How DicomScript identifies itself in the files and associations it creates.</summary>
public static class DicomImplementation
{
    /// <summary>A UUID-derived UID (PS3.5 §B.2), so no registered root is needed.</summary>
    public const string ClassUid = "2.25.277729419126283037580851828704584266364";

    /// <summary>At most 16 characters (SH).</summary>
    public const string VersionName = "DICOMSCRIPT_01";
}
