using DicomScript.Dicom.IO;

namespace DicomScript.Network.Scu;

/// <summary>
/// A DICOM file to send with C-STORE, with the bytes its dataset was parsed from when those can go
/// as they are. On a presentation context of the file's own syntax the instance then leaves bit for
/// bit as it was stored (Orthanc's dcmtk writes it again, and drops its trailing padding, for one),
/// and is not encoded again. The bytes come from whoever parsed them, not from the
/// <see cref="DicomFile"/>: its dataset can be changed after parsing.
/// </summary>
/// <param name="File">The parsed file (SOP class and instance, syntax; encoded from it when needed).</param>
/// <param name="DatasetBytes">The dataset as read, in <c>File.TransferSyntax</c>; empty to encode it.</param>
public sealed record FileToSend(DicomFile File, ReadOnlyMemory<byte> DatasetBytes)
{
    /// <summary>A file to encode when sent (built or changed in memory).</summary>
    public FileToSend(DicomFile file)
        : this(file, ReadOnlyMemory<byte>.Empty)
    {
    }

    /// <summary>Parses a Part-10 file, keeping its dataset's bytes to send as they are.</summary>
    public static FileToSend Parse(ReadOnlyMemory<byte> fileBytes) => Of(DicomFile.Parse(fileBytes), fileBytes);

    /// <summary>A file already parsed from <paramref name="fileBytes"/>, with its dataset's bytes to send as they are.</summary>
    public static FileToSend Of(DicomFile file, ReadOnlyMemory<byte> fileBytes)
    {
        ArgumentNullException.ThrowIfNull(file);
        return new FileToSend(file, file.DatasetOffset is { } offset ? fileBytes[(int)offset..] : ReadOnlyMemory<byte>.Empty);
    }
}
