using System.Globalization;
using System.Runtime.InteropServices;
using NUnit.Framework;

namespace DicomScript.Host.Tests;

[TestFixture]
public class NativeHeapTrimmerTests
{
    private static long ResidentMb() =>
        long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;

    [Test]
    public void Trim_FreedBlocksBetweenUsedOnes_GoBackToTheSystem()
    {
        if (!OperatingSystem.IsLinux())
            Assert.Ignore("malloc_trim is glibc's");

        // 64 MB of small blocks (below malloc's mmap threshold: they live in the C heap, resident
        // once written), then all freed but the last, which keeps malloc from shrinking the heap's top.
        var blocks = new IntPtr[64 * 1024];
        for (var i = 0; i < blocks.Length; i++)
        {
            blocks[i] = Marshal.AllocHGlobal(1000);
            Marshal.Copy(new byte[1000], 0, blocks[i], 1000);
        }

        for (var i = 0; i < blocks.Length - 1; i++)
            Marshal.FreeHGlobal(blocks[i]);
        try
        {
            var before = ResidentMb();
            Assert.That(NativeHeapTrimmer.Trim(), Is.True, "glibc is there");
            var after = ResidentMb();
            Assert.That(before - after, Is.GreaterThan(32), $"{before} MB before, {after} MB after");
        }
        finally
        {
            Marshal.FreeHGlobal(blocks[^1]);
        }
    }

    [Test]
    public async Task Start_ThenDispose_StopsPromptly()
    {
        var trimmer = NativeHeapTrimmer.Start(TimeSpan.FromMilliseconds(10));
        await Task.Delay(50);
        var stopping = trimmer.DisposeAsync().AsTask();
        Assert.That(await Task.WhenAny(stopping, Task.Delay(TimeSpan.FromSeconds(5))), Is.SameAs(stopping));
    }
}
