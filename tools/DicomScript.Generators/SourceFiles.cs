namespace DicomScript.Generators;

/// <summary>Where the generators read from (installed Debian packages) and write to (the repository).</summary>
public static class SourceFiles
{
    public const string DicomDic = "/usr/share/libdcmtk17/dicom.dic";
    public const string PrivateDic = "/usr/share/libdcmtk17/private.dic";
    public const string UidHeader = "/usr/include/dcmtk/dcmdata/dcuid.h";

    public const string DictionaryOutput = "src/DicomScript.Dicom/Dictionary/DicomDictionary.Generated.cs";
    public const string TagsOutput = "src/DicomScript.Dicom/Dictionary/DicomTags.Generated.cs";
    public const string UidsOutput = "src/DicomScript.Dicom/Uids/DicomUids.Generated.cs";
}
