using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;

namespace DicomScript.Dicom.Tests.Support;

/// <summary>
/// pydicom's corpus of real DICOM files (Debian package python3-pydicom), read from where it is
/// installed; nothing of it is copied into the repository.
/// </summary>
public static class PydicomCorpus
{
    public const string Root = "/usr/lib/python3/dist-packages/pydicom/data";

    public static string TestFiles => Path.Combine(Root, "test_files");

    public static string CharsetFiles => Path.Combine(Root, "charset_files");

    /// <summary>
    /// Files of the corpus that are not readable DICOM, with the reason our reader must give.
    /// dcmdump rejects each of them too (checked by a test).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, DicomFormatError> Invalid = new Dictionary<string, DicomFormatError>
    {
        // Text, JSON and gzip files that sit beside the DICOM files.
        ["test_files/README.txt"] = DicomFormatError.NotDicom,
        ["test_files/rtplan.dump"] = DicomFormatError.NotDicom,
        ["test_files/rtstruct.dump"] = DicomFormatError.NotDicom,
        ["test_files/test1.json"] = DicomFormatError.NotDicom,
        ["test_files/test_PN.json"] = DicomFormatError.NotDicom,
        ["test_files/zipMR.gz"] = DicomFormatError.NotDicom,
        ["test_files/dicomdirtests/README.txt"] = DicomFormatError.NotDicom,
        ["test_files/dicomdirtests/TINY_ALPHA/README"] = DicomFormatError.NotDicom,
        ["charset_files/FileInfo.txt"] = DicomFormatError.NotDicom,

        // A bare dataset whose first byte is missing: every tag reads shifted (dcmdump: (0820,0500)).
        ["test_files/no_meta.dcm"] = DicomFormatError.NotDicom,

        // Cut short inside an element (pydicom keeps them to test its own errors).
        ["test_files/MR_truncated.dcm"] = DicomFormatError.LengthExceedsData,
        ["test_files/rtplan_truncated.dcm"] = DicomFormatError.LengthExceedsData,
    };

    /// <summary>
    /// Readable files that dcmtk's dcmdump fails on; they are compared with pydicom instead.
    /// SC_rgb_jpeg.dcm: the meta group says JPEG Baseline (explicit VR) but the dataset is implicit VR.
    /// </summary>
    public static readonly IReadOnlySet<string> DcmdumpCannotRead = new HashSet<string>(StringComparer.Ordinal)
    {
        "test_files/SC_rgb_jpeg.dcm",
    };

    /// <summary>Every file of test_files/ (recursively) and charset_files/, as paths relative to <see cref="Root"/>.</summary>
    public static IEnumerable<string> AllFiles()
    {
        if (!Directory.Exists(TestFiles))
            return [];
        return Directory.EnumerateFiles(TestFiles, "*", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(CharsetFiles, "*", SearchOption.AllDirectories))
            .Select(p => Path.GetRelativePath(Root, p))
            .Order(StringComparer.Ordinal);
    }

    /// <summary>The readable DICOM files of the corpus.</summary>
    public static IEnumerable<string> ValidFiles() => AllFiles().Where(f => !Invalid.ContainsKey(f));

    public static string FullPath(string relative) => Path.Combine(Root, relative);

    /// <summary>
    /// A corpus file (<paramref name="relative"/> to <see cref="Root"/>) with its own SOP Instance UID,
    /// in the dataset and the meta group: one of the many distinct instances a test may need.
    /// </summary>
    public static DicomFile CopyWithSopInstanceUid(string relative, string uid)
    {
        var file = DicomFile.Open(FullPath(relative));
        file.Dataset.AddString(DicomTags.SOPInstanceUID, DicomVR.UI, uid);
        file.Meta.AddString(DicomTags.MediaStorageSOPInstanceUID, DicomVR.UI, uid);
        return file;
    }

    /// <summary>Ignores (locally) or fails (CI) when python3-pydicom is not installed.</summary>
    public static void Require()
    {
        if (!Directory.Exists(TestFiles))
            ExternalTools.Missing("pydicom's test corpus is not installed (apt-get install python3-pydicom)");
    }
}
