using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;

namespace DicomScript.Dicom.IO;

/// <summary>Builds the file meta group (group 0002) for writing a dataset in a given syntax.</summary>
internal static class FileMetaInformation
{
    /// <summary>
    /// The meta group to write: the given one with its transfer syntax replaced, or, for a bare
    /// dataset, a new one with the SOP class and instance from the dataset and our implementation.
    /// </summary>
    public static DicomDataset ForSyntax(DicomDataset meta, DicomDataset dataset, DicomTransferSyntax syntax)
    {
        var result = new DicomDataset(meta.Where(i => !i.Tag.IsGroupLength));
        if (!result.Contains(DicomTags.FileMetaInformationVersion))
            result.AddBytes(DicomTags.FileMetaInformationVersion, DicomVR.OB, new byte[] { 0, 1 });
        CopyUid(result, DicomTags.MediaStorageSOPClassUID, dataset, DicomTags.SOPClassUID);
        CopyUid(result, DicomTags.MediaStorageSOPInstanceUID, dataset, DicomTags.SOPInstanceUID);
        result.AddString(DicomTags.TransferSyntaxUID, DicomVR.UI, syntax.Uid);
        if (!result.Contains(DicomTags.ImplementationClassUID))
        {
            result.AddString(DicomTags.ImplementationClassUID, DicomVR.UI, DicomImplementation.ClassUid);
            result.AddString(DicomTags.ImplementationVersionName, DicomVR.SH, DicomImplementation.VersionName);
        }

        return result;
    }

    private static void CopyUid(DicomDataset meta, DicomTag metaTag, DicomDataset dataset, DicomTag datasetTag)
    {
        if (meta.Contains(metaTag))
            return;
        var value = dataset.GetString(datasetTag);
        if (value is not null)
            meta.AddString(metaTag, DicomVR.UI, value);
    }
}
