using System.Buffers;
using DicomScript.Dicom.Data;

namespace DicomScript.Network.Dimse;

/// <summary>
/// Collects the dataset fragments of one message in pooled 64 KB chunks (below the large object
/// heap, no copy when it grows); past a threshold it spills everything to a temporary file.
/// </summary>
internal sealed class DataSetBuffer : IDisposable
{
    internal const int ChunkSize = 64 * 1024;

    private readonly long _spillThreshold;
    private readonly string _temporaryFolder;
    private List<byte[]>? _chunks = [];
    private long _length;
    private FileStream? _file;

    public DataSetBuffer(long spillThreshold, string temporaryFolder)
    {
        _spillThreshold = spillThreshold;
        _temporaryFolder = temporaryFolder;
    }

    public long Length => _length;

    public void Append(ReadOnlySpan<byte> fragment)
    {
        if (_chunks is not null && _length + fragment.Length > _spillThreshold)
            Spill();
        if (_file is not null)
        {
            _file.Write(fragment);
            _length += fragment.Length;
            return;
        }

        while (!fragment.IsEmpty)
        {
            var used = (int)(_length % ChunkSize);
            if (used == 0 && _length / ChunkSize == _chunks!.Count)
                _chunks.Add(ArrayPool<byte>.Shared.Rent(ChunkSize));
            var chunk = _chunks![(int)(_length / ChunkSize)];
            var count = Math.Min(ChunkSize - used, fragment.Length);
            fragment[..count].CopyTo(chunk.AsSpan(used));
            fragment = fragment[count..];
            _length += count;
        }
    }

    // DeleteOnClose: the file disappears when the dataset is disposed, whatever happens to the message.
    private void Spill()
    {
        var path = Path.Combine(_temporaryFolder, $"dicomscript-{Guid.NewGuid():N}.tmp");
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, ChunkSize, FileOptions.DeleteOnClose);
        foreach (var (chunk, length) in Chunks(_chunks!, _length))
            _file.Write(chunk, 0, length);
        ReturnChunks(_chunks!);
        _chunks = null;
    }

    /// <summary>Hands the bytes over to a <see cref="ReceivedDataSet"/>; this buffer is empty afterwards.</summary>
    public ReceivedDataSet Complete(DicomTransferSyntax syntax)
    {
        // A dataset within one chunk (a C-FIND answer, most C-STOREs) gets an array of its size and
        // the chunk goes back to the pool at once, from the thread that rented it (it is then the
        // one that thread rents next, instead of a new 64 KB array to clear).
        if (_chunks is [var only])
        {
            var bytes = only.AsSpan(0, (int)_length).ToArray();
            ReturnChunks(_chunks);
            _chunks = null;
            return new ReceivedDataSet(bytes, syntax);
        }

        var result = _file is not null ? new ReceivedDataSet(_file, syntax) : new ReceivedDataSet(_chunks!, _length, syntax);
        _chunks = null;
        _file = null;
        return result;
    }

    internal static IEnumerable<(byte[] Chunk, int Length)> Chunks(List<byte[]> chunks, long length)
    {
        for (var i = 0; i < chunks.Count; i++)
            yield return (chunks[i], (int)Math.Min(ChunkSize, length - (long)i * ChunkSize));
    }

    internal static void ReturnChunks(List<byte[]> chunks)
    {
        foreach (var chunk in chunks)
            ArrayPool<byte>.Shared.Return(chunk);
        chunks.Clear();
    }

    public void Dispose()
    {
        if (_chunks is not null)
            ReturnChunks(_chunks);
        _file?.Dispose();
    }
}
