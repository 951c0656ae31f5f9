using DicomScript.Dicom.Data;
using DicomScript.Network.Dimse;
using NUnit.Framework;

namespace DicomScript.Network.Tests.Dimse;

[TestFixture]
public class DataSetBufferTests
{
    [TestCase(10, 7)]
    [TestCase(200_000, 16_378)] // many fragments across 64 KB chunk boundaries
    [TestCase(65_536, 65_536)] // exactly one chunk
    public void Append_Fragments_ReadAllAndCopyGiveTheSameBytes(int total, int fragment)
    {
        var bytes = new byte[total];
        new Random(total).NextBytes(bytes);
        using var buffer = new DataSetBuffer(long.MaxValue, Path.GetTempPath());
        for (var offset = 0; offset < total; offset += fragment)
            buffer.Append(bytes.AsSpan(offset, Math.Min(fragment, total - offset)));

        using var received = buffer.Complete(DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.That(received.IsSpilledToFile, Is.False);
        Assert.That(received.Length, Is.EqualTo(total));
        Assert.That(received.ReadAll().ToArray(), Is.EqualTo(bytes));
        var copy = new byte[total + 3];
        received.CopyTo(copy);
        Assert.That(copy.AsSpan(0, total).ToArray(), Is.EqualTo(bytes));
    }

    [Test]
    public void Complete_WithinOneChunk_BytesStayWhileThePoolReusesTheChunk()
    {
        var bytes = new byte[300];
        new Random(300).NextBytes(bytes);
        using var buffer = new DataSetBuffer(long.MaxValue, Path.GetTempPath());
        buffer.Append(bytes);
        using var received = buffer.Complete(DicomTransferSyntax.ExplicitVRLittleEndian);

        // The chunk went back to the pool: this thread gets it next, and overwrites it.
        var reused = System.Buffers.ArrayPool<byte>.Shared.Rent(DataSetBuffer.ChunkSize);
        reused.AsSpan().Fill(0xFF);
        System.Buffers.ArrayPool<byte>.Shared.Return(reused);
        Assert.That(received.ReadAll().ToArray(), Is.EqualTo(bytes));
        Assert.That(received.Length, Is.EqualTo(300));
    }

    [Test]
    public void Append_PastThreshold_SpillsToTemporaryFileDeletedOnDispose()
    {
        var folder = Directory.CreateTempSubdirectory("spill-");
        try
        {
            var bytes = new byte[300_000];
            new Random(3).NextBytes(bytes);
            using var buffer = new DataSetBuffer(100_000, folder.FullName);
            for (var offset = 0; offset < bytes.Length; offset += 50_000)
                buffer.Append(bytes.AsSpan(offset, 50_000));
            var received = buffer.Complete(DicomTransferSyntax.ExplicitVRLittleEndian);
            Assert.That(received.IsSpilledToFile, Is.True);
            Assert.That(folder.GetFiles(), Has.Length.EqualTo(1));
            Assert.That(received.ReadAll().ToArray(), Is.EqualTo(bytes));
            var copy = new byte[bytes.Length];
            received.CopyTo(copy);
            Assert.That(copy, Is.EqualTo(bytes));
            Assert.That(() => received.CopyTo(new byte[bytes.Length - 1]), Throws.ArgumentException);
            received.Dispose();
            Assert.That(folder.GetFiles(), Is.Empty);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
