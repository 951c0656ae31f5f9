using System.Runtime.InteropServices;

namespace DicomScript.Host;

/// <summary>
/// Gives back to the system, periodically (every second in the server), the memory the C heap
/// (glibc's malloc, which SQLite and the runtime's native parts use) keeps after a burst of work.
/// Freed blocks between used ones stay in the process otherwise: after 10,000 instances received
/// over 4 associations a thread's heap held ~17 MB of them for good (bench/README.md "Archive").
/// Orthanc's versions after 1.10.1 do the same (a thread calling malloc_trim, and MallocArenaMax).
/// Elsewhere than glibc it does nothing.
/// </summary>
internal sealed partial class NativeHeapTrimmer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private NativeHeapTrimmer(TimeSpan period) => _loop = LoopAsync(period);

    /// <summary>Starts trimming every <paramref name="period"/>.</summary>
    public static NativeHeapTrimmer Start(TimeSpan period) => new(period);

    /// <summary>Trims the C heap once; false where there is no glibc to ask.</summary>
    public static bool Trim()
    {
        if (!OperatingSystem.IsLinux())
            return false;
        try
        {
            _ = MallocTrim(0); // 1 if memory was released, 0 if there was none to release
            return true;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // musl and others: no malloc_trim
        }
    }

    private async Task LoopAsync(TimeSpan period)
    {
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                if (!Trim())
                    return;
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    // int malloc_trim(size_t pad): releases free memory from every arena, not only from the top.
    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
