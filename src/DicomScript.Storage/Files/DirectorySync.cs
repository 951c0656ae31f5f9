using System.Runtime.InteropServices;

namespace DicomScript.Storage.Files;

/// <summary>
/// fsync of a folder, which makes a rename inside it durable. .NET cannot open a folder as a file,
/// so this calls libc directly (Linux and macOS); elsewhere it does nothing, the file system
/// journaling metadata on its own (NTFS).
/// </summary>
internal static partial class DirectorySync
{
    private const int ReadOnly = 0;

    public static void Sync(string folder)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
            return;
        var descriptor = Open(folder, ReadOnly);
        if (descriptor < 0)
            throw new IOException($"cannot open {folder} to sync it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (FSync(descriptor) != 0)
                throw new IOException($"fsync of {folder} failed (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);
}
