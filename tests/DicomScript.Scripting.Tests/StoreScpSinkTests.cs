using DicomScript.Dicom.IO;
using DicomScript.Scripting.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Scripting.Tests;

/// <summary>The routing tests' sink polls files storescp may still be writing.</summary>
[TestFixture]
public class StoreScpSinkTests
{
    [Test]
    public void AFileHalfWritten_IsLeftOutWhileYoung_AndFailsOnceOld()
    {
        using var sink = new StoreScpSink(start: false);
        var whole = SampleInstances.Original("CT_small.dcm");
        File.WriteAllBytes(Path.Combine(sink.Folder.FullName, "whole.dcm"), whole);
        var half = Path.Combine(sink.Folder.FullName, "half.dcm");
        File.WriteAllBytes(half, whole[..(whole.Length / 2)]);

        Assert.That(sink.Received(), Has.Count.EqualTo(1), "the half-written file is not counted yet");

        File.SetLastWriteTimeUtc(half, DateTime.UtcNow.AddMinutes(-1));
        Assert.Throws<DicomFormatException>(() => sink.Received(), "a file left half-written is an error");
    }
}
