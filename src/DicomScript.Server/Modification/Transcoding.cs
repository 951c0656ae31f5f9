using DicomScript.Dicom.Data;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Uids;

namespace DicomScript.Server.Modification;

/// <summary>
/// The "Transcode" option of modifications, as far as we can go without image codecs: between
/// uncompressed transfer syntaxes (implicit/explicit VR, little/big endian, deflated). Compressing
/// or decompressing pixel data is not done.
/// </summary>
public static class Transcoding
{
    /// <summary>The transfer syntax of a UID the dictionary knows as one, else null (Orthanc's "Unknown transfer syntax").</summary>
    public static DicomTransferSyntax? Find(string uid) =>
        DicomUids.Find(uid)?.Kind == DicomUidKind.TransferSyntax ? DicomTransferSyntax.FromUid(uid) : null;

    /// <summary>The file written in <paramref name="syntax"/>, or null when that needs a codec.</summary>
    public static byte[]? TryWrite(DicomFile file, DicomTransferSyntax syntax)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(syntax);
        if (syntax.Uid != file.TransferSyntax.Uid && (syntax.IsEncapsulated || file.TransferSyntax.IsEncapsulated))
            return null;
        return DicomWriter.ToBytes(file, syntax);
    }
}
