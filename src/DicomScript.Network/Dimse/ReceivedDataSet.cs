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
    private readonly MemoryStream? _memory;
    private readonly FileStream? _file;

    internal ReceivedDataSet(MemoryStream memory, DicomTransferSyntax syntax)
    {
        _memory = memory;
        TransferSyntax = syntax;
    }

    internal ReceivedDataSet(FileStream file, DicomTransferSyntax syntax)
    {
        _file = file;
        TransferSyntax = syntax;
    }

    public DicomTransferSyntax TransferSyntax { get; }

    public long Length => _memory?.Length ?? _file!.Length;

    /// <summary>True when the bytes were spilled to a temporary file.</summary>
    public bool IsSpilledToFile => _file is not null;

    /// <summary>The path of the temporary file, if spilled.</summary>
    public string? TemporaryPath => _file?.Name;

    /// <summary>All the bytes (read from the temporary file if spilled).</summary>
    public ReadOnlyMemory<byte> ReadAll()
    {
        if (_memory is not null)
            return _memory.GetBuffer().AsMemory(0, (int)_memory.Length);
        var bytes = new byte[_file!.Length];
        _file.Position = 0;
        _file.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Copies the bytes to <paramref name="destination"/>.</summary>
    public async Task CopyToAsync(Stream destination, CancellationToken cancellationToken)
    {
        if (_memory is not null)
        {
            await destination.WriteAsync(_memory.GetBuffer().AsMemory(0, (int)_memory.Length), cancellationToken).ConfigureAwait(false);
            return;
        }

        _file!.Position = 0;
        await _file.CopyToAsync(destination, cancellationToken).ConfigureAwait(false);
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
        _memory?.Dispose();
        _file?.Dispose();
    }
}
