using DicomScript.Dicom.Data;
using DicomScript.Dicom.IO;

namespace DicomScript.Network.Dimse;

/// <summary>
/// The dataset of a received DIMSE message, as the bytes that arrived (in the presentation
/// context's transfer syntax). Small ones stay in memory; past a threshold they are in a temporary
/// file that is deleted when this object is disposed.
/// </summary>
public sealed class ReceivedDataSet : IDisposable
{
    private readonly List<byte[]>? _chunks;
    private readonly long _chunkedLength;
    private readonly FileStream? _file;
    private byte[]? _contiguous;

    internal ReceivedDataSet(List<byte[]> chunks, long length, DicomTransferSyntax syntax)
    {
        _chunks = chunks;
        _chunkedLength = length;
        TransferSyntax = syntax;
    }

    internal ReceivedDataSet(byte[] bytes, DicomTransferSyntax syntax)
    {
        _contiguous = bytes;
        TransferSyntax = syntax;
    }

    internal ReceivedDataSet(FileStream file, DicomTransferSyntax syntax)
    {
        _file = file;
        TransferSyntax = syntax;
    }

    public DicomTransferSyntax TransferSyntax { get; }

    public long Length => _contiguous?.Length ?? (_chunks is not null ? _chunkedLength : _file!.Length);

    /// <summary>True when the bytes were spilled to a temporary file.</summary>
    public bool IsSpilledToFile => _file is not null;

    /// <summary>The path of the temporary file, if spilled.</summary>
    public string? TemporaryPath => _file?.Name;

    /// <summary>
    /// All the bytes in one array of their own (read from the temporary file if spilled): they stay
    /// valid after this object is disposed, so datasets parsed from them may be kept.
    /// </summary>
    public ReadOnlyMemory<byte> ReadAll()
    {
        if (_contiguous is not null)
            return _contiguous;
        var bytes = new byte[Length];
        CopyTo(bytes);
        return _contiguous = bytes;
    }

    /// <summary>Copies the bytes into <paramref name="destination"/>, which holds at least <see cref="Length"/>.</summary>
    public void CopyTo(Span<byte> destination)
    {
        if (destination.Length < Length)
            throw new ArgumentException($"{destination.Length} bytes cannot hold a dataset of {Length}", nameof(destination));
        if (_contiguous is not null)
        {
            _contiguous.CopyTo(destination);
            return;
        }

        if (_chunks is not null)
        {
            var offset = 0;
            foreach (var (chunk, length) in DataSetBuffer.Chunks(_chunks, _chunkedLength))
            {
                chunk.AsSpan(0, length).CopyTo(destination[offset..]);
                offset += length;
            }

            return;
        }

        _file!.Position = 0;
        _file.ReadExactly(destination[..(int)Length]);
    }

    /// <summary>Parses the dataset; a malformed one throws <see cref="DicomFormatException"/>.</summary>
    public DicomDataset Parse(DicomReadOptions? options = null)
    {
        var builder = new DatasetBuilder();
        var bytes = ReadAll();
        if (TransferSyntax.IsDeflated)
        {
            var file = DicomFileReader.Read(PrefixWithMeta(bytes), options ?? DicomReadOptions.Default);
            return file.Dataset;
        }

        new DicomParser(bytes, true, 0, options ?? DicomReadOptions.Default, builder).ParseDataset(0, TransferSyntax.IsExplicitVR, TransferSyntax.IsBigEndian);
        return builder.Dataset;
    }

    // A deflated dataset is parsed through the file reader, which knows how to inflate.
    private ReadOnlyMemory<byte> PrefixWithMeta(ReadOnlyMemory<byte> bytes)
    {
        using var stream = new MemoryStream();
        var meta = new DicomDataset().AddString(Dicom.Dictionary.DicomTags.TransferSyntaxUID, DicomVR.UI, TransferSyntax.Uid);
        stream.Write(new byte[128]);
        stream.Write("DICM"u8);
        DicomWriter.WriteDataset(stream, meta, DicomTransferSyntax.ExplicitVRLittleEndian);
        stream.Write(bytes.Span);
        return stream.ToArray();
    }

    public void Dispose()
    {
        if (_chunks is not null)
            DataSetBuffer.ReturnChunks(_chunks);
        _file?.Dispose();
    }
}
