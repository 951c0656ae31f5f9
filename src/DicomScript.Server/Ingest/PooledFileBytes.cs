using System.Buffers;

namespace DicomScript.Server.Ingest;

/// <summary>
/// A file's bytes on their way to the ingest, in an array from the shared pool when they are at most
/// <see cref="PoolLimit"/> long (a new array above: a pool would hold on to it). Disposing gives the
/// array back, unless the ingest kept the file for the next reader (<see cref="IngestResult.FileBytesKept"/>):
/// the array is then the garbage collector's.
/// Why a pool: a 512×512 CT is a large object to .NET, which zeroes each new one and counts it
/// towards a full collection; a third of the server's CPU per CT went there (bench/README.md, "Archive").
/// </summary>
public sealed class PooledFileBytes : IDisposable
{
    public const int PoolLimit = 16 << 20;

    private readonly bool _pooled;
    private byte[]? _array;
    private bool _kept;

    /// <summary>Room for <paramref name="length"/> bytes, to be filled through <see cref="Span"/>.</summary>
    public PooledFileBytes(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _pooled = length <= PoolLimit;
        _array = _pooled ? ArrayPool<byte>.Shared.Rent(length) : GC.AllocateUninitializedArray<byte>(length);
        Length = length;
    }

    // Bytes already in an array of their own (nothing to give back).
    private PooledFileBytes(byte[] array, int length)
    {
        _array = array;
        Length = length;
    }

    /// <summary>Wraps the first <paramref name="length"/> bytes of an array that is not the pool's.</summary>
    public static PooledFileBytes Wrap(byte[] array, int length)
    {
        ArgumentNullException.ThrowIfNull(array);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, array.Length);
        return new PooledFileBytes(array, length);
    }

    public int Length { get; }

    public Memory<byte> Memory => Array.AsMemory(0, Length);

    public Span<byte> Span => Array.AsSpan(0, Length);

    /// <summary>The bytes as a read-only stream (no copy).</summary>
    public Stream AsStream() => new MemoryStream(Array, 0, Length, writable: false);

    private byte[] Array => _array ?? throw new ObjectDisposedException(nameof(PooledFileBytes));

    /// <summary>The bytes live on (a parsed file keeps views of them): disposing leaves the array alone.</summary>
    internal void Keep() => _kept = true;

    public void Dispose()
    {
        if (_pooled && !_kept && _array is not null)
            ArrayPool<byte>.Shared.Return(_array);
        _array = null;
    }
}
