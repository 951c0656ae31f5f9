using System.Buffers;
using System.Runtime.InteropServices;
using DicomScript.Server.Ingest;
using NUnit.Framework;

namespace DicomScript.Server.Tests.Ingest;

[TestFixture]
public class PooledFileBytesTests
{
    private const int Size = 1 << 20; // a pool bucket's size: a rent on the same thread gets the array just returned

    private static byte[] ArrayOf(PooledFileBytes bytes) =>
        MemoryMarshal.TryGetArray<byte>(bytes.Memory, out var segment) ? segment.Array! : throw new AssertionException("not an array");

    [Test]
    public void Disposed_TheArrayGoesBackToThePool()
    {
        var bytes = new PooledFileBytes(Size);
        var array = ArrayOf(bytes);
        bytes.Dispose();

        var next = ArrayPool<byte>.Shared.Rent(Size);
        Assert.That(next, Is.SameAs(array));
        ArrayPool<byte>.Shared.Return(next);
        Assert.That(() => bytes.Span.Length, Throws.InstanceOf<ObjectDisposedException>());
    }

    [Test]
    public void KeptOrWrapped_TheArrayStaysOutOfThePool()
    {
        var kept = new PooledFileBytes(Size);
        var keptArray = ArrayOf(kept);
        kept.Keep();
        kept.Dispose();
        var wrappedArray = new byte[Size];
        PooledFileBytes.Wrap(wrappedArray, 10).Dispose();

        var next = ArrayPool<byte>.Shared.Rent(Size);
        Assert.That(next, Is.Not.SameAs(keptArray).And.Not.SameAs(wrappedArray));
        ArrayPool<byte>.Shared.Return(next);
    }

    [Test]
    public void Lengths_AsAsked_AboveTheLimitANewArray()
    {
        using var small = new PooledFileBytes(1000);
        using var large = new PooledFileBytes(PooledFileBytes.PoolLimit + 1);
        using var wrapped = PooledFileBytes.Wrap(new byte[50], 20);

        Assert.That((small.Length, small.Span.Length, small.Memory.Length), Is.EqualTo((1000, 1000, 1000)));
        Assert.That(ArrayOf(large), Has.Length.EqualTo(PooledFileBytes.PoolLimit + 1), "exactly its size, not a pool's power of two");
        Assert.That((wrapped.Length, wrapped.AsStream().Length), Is.EqualTo((20, 20L)));
        Assert.That(() => PooledFileBytes.Wrap(new byte[5], 6), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
