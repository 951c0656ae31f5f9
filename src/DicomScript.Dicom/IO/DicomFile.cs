using DicomScript.Dicom.Data;

namespace DicomScript.Dicom.IO;

/// <summary>A Part-10 file (or a bare dataset): its meta group, its dataset and how it was encoded.</summary>
public sealed class DicomFile
{
    public DicomFile(DicomDataset meta, DicomDataset dataset, DicomTransferSyntax transferSyntax)
    {
        Meta = meta;
        Dataset = dataset;
        TransferSyntax = transferSyntax;
    }

    /// <summary>The file meta information (group 0002); empty for a bare dataset.</summary>
    public DicomDataset Meta { get; }

    public DicomDataset Dataset { get; }

    /// <summary>The syntax the dataset was read in (from the meta group, or detected for a bare dataset).</summary>
    public DicomTransferSyntax TransferSyntax { get; }

    /// <summary>True when the input had the 128-byte preamble and "DICM".</summary>
    public bool HasPreamble { get; init; }

    /// <summary>Byte offset in the file of the top-level Pixel Data element's tag, if it was read (never for a deflated dataset).</summary>
    public long? PixelDataOffset { get; init; }

    /// <summary>
    /// Byte offset in the input of the dataset, when the bytes from there encode it as
    /// <see cref="TransferSyntax"/> says (null when the reader had to read them otherwise).
    /// </summary>
    public long? DatasetOffset { get; init; }

    /// <summary>True when reading stopped at <see cref="DicomReadOptions.StopAtTag"/> before the end.</summary>
    public bool IsPartial { get; init; }

    /// <summary>Reads a whole file into memory and parses it; element values are slices of that buffer.</summary>
    public static DicomFile Open(string path, DicomReadOptions? options = null)
    {
        options ??= DicomReadOptions.Default;
        if (options.StopAtTag is not null)
            return OpenPrefix(path, options);
        return DicomFileReader.Read(File.ReadAllBytes(path), options);
    }

    /// <summary>Reads everything before the pixel data, reading only as much of the file as that needs.</summary>
    public static DicomFile OpenHeader(string path) => Open(path, DicomReadOptions.HeaderOnly);

    /// <summary>Parses a file already in memory.</summary>
    public static DicomFile Parse(ReadOnlyMemory<byte> data, DicomReadOptions? options = null) =>
        DicomFileReader.Read(data, options ?? DicomReadOptions.Default);

    // Reads a growing prefix of the file until the parser reaches the stop tag or the end, so a header
    // read of a large image touches a few kilobytes, not the pixel data.
    private static DicomFile OpenPrefix(string path, DicomReadOptions options)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var fileLength = stream.Length;
        var size = (int)Math.Min(fileLength, 64 * 1024);
        var buffer = new byte[size];
        var filled = 0;
        while (true)
        {
            var read = ReadFully(stream, buffer.AsSpan(filled));
            filled += read;
            // End of file (also when the file shrank while we read it) makes this the whole input.
            var isFinal = filled >= fileLength || read < buffer.Length - (filled - read);
            var result = DicomFileReader.TryRead(buffer.AsMemory(0, filled), isFinal, options);
            if (result is not null)
                return result;
            var next = (int)Math.Min(fileLength, Math.Max((long)buffer.Length * 4, 64 * 1024));
            Array.Resize(ref buffer, next);
        }
    }

    private static int ReadFully(Stream stream, Span<byte> target)
    {
        var total = 0;
        while (total < target.Length)
        {
            var read = stream.Read(target[total..]);
            if (read == 0)
                break;
            total += read;
        }

        return total;
    }
}
