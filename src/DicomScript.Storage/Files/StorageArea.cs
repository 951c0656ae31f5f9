using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;

namespace DicomScript.Storage.Files;

/// <summary>What was written for one attachment.</summary>
public sealed record StoredFile(string Uuid, long UncompressedSize, long StoredSize, string UncompressedMd5, bool Compressed);

/// <summary>
/// The storage area: one file per attachment under <c>root/xx/yy/uuid</c> (Orthanc's layout, so an
/// Orthanc storage folder can be read as is). A file is written to a temporary name beside its final
/// place and renamed, so a crash never leaves a torn file under an attachment's name. With
/// compression, files are in Orthanc's format: the uncompressed size as 8 bytes little endian,
/// then a zlib stream.
/// </summary>
public sealed class StorageArea
{
    private const string TemporarySuffix = ".tmp";
    private const int FolderCount = 256 * 256;
    private const int FilesPerFolder = 256;

    // How many files this process has named, from a random start: see NewUuid.
    private long _named = Random.Shared.NextInt64((long)FolderCount * FilesPerFolder);

    public StorageArea(string root, bool compress, bool durable = false)
    {
        Root = Path.GetFullPath(root);
        Compress = compress;
        Durable = durable;
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public bool Compress { get; }

    /// <summary>
    /// Sync each file to the disk before the rename, and its folder after it, so a stored file
    /// survives a power loss (costs time; bench/README.md has the figure).
    /// </summary>
    public bool Durable { get; }

    public string PathOf(string uuid)
    {
        ArgumentException.ThrowIfNullOrEmpty(uuid);
        if (uuid.Length < 4 || uuid.Contains('/', StringComparison.Ordinal) || uuid.Contains("..", StringComparison.Ordinal))
            throw new ArgumentException($"'{uuid}' is not an attachment UUID", nameof(uuid));
        return Path.Combine(Root, uuid[..2], uuid[2..4], uuid);
    }

    /// <summary>Stores new content under a new UUID.</summary>
    public StoredFile Write(ReadOnlySpan<byte> content)
    {
        var uuid = NewUuid();
        // MD5 is what Orthanc records for attachments (StoreMD5ForAttachments): an integrity check, not security.
#pragma warning disable CA5351
        var md5 = Convert.ToHexStringLower(MD5.HashData(content));
#pragma warning restore CA5351
        var bytes = Compress ? Compressed(content) : content;
        WriteAtomically(PathOf(uuid), bytes);
        return new StoredFile(uuid, content.Length, bytes.Length, md5, Compress);
    }

    // A random UUID whose first four digits, the xx/yy folder, stay the same for FilesPerFolder files
    // in a row and then move to the next folder. Orthanc's random UUIDs spread files evenly over the
    // 65,536 folders; this does too over a whole round (16.7 million files), but makes a folder once
    // per 256 files instead of once per file while the archive is young: making a directory is the
    // dearest thing ext4 does for us (bench/README.md, "Lua").
    private string NewUuid()
    {
        var folder = (int)(Interlocked.Increment(ref _named) / FilesPerFolder % FolderCount);
        return string.Create(36, (Folder: folder, Random: Guid.NewGuid()), static (text, state) =>
        {
            state.Random.TryFormat(text, out _);
            state.Folder.TryFormat(text[..4], out _, "x4", System.Globalization.CultureInfo.InvariantCulture);
        });
    }

    private void WriteAtomically(string path, ReadOnlySpan<byte> bytes)
    {
        var temporary = path + "." + Guid.NewGuid().ToString("N")[..8] + TemporarySuffix;
        try
        {
            using (var file = CreateInFolder(temporary))
            {
                file.Write(bytes);
                file.Flush(flushToDisk: Durable);
            }

            File.Move(temporary, path, overwrite: false);
            if (Durable)
                DirectorySync.Sync(Path.GetDirectoryName(path)!);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    // Unbuffered (the content goes in one write; a buffer would only be a copy). The xx/yy folder is
    // made only when the open says it is missing, which spares a system call per file. .NET reports a
    // missing folder as FileNotFound when another writer made it between the failed open and .NET's
    // look at the folder (files of a folder are written in a row, by every association at once).
    private static FileStream CreateInFolder(string path)
    {
        try
        {
            return new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        }
        catch (Exception ex) when (ex is DirectoryNotFoundException or FileNotFoundException)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            return new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        }
    }

    /// <summary>The content of an attachment (decompressed when the area compresses).</summary>
    public byte[] Read(string uuid)
    {
        var stored = File.ReadAllBytes(PathOf(uuid));
        return Compress ? Decompressed(stored, uuid) : stored;
    }

    /// <summary>
    /// Removes an attachment; false when it was not there. Unlike Orthanc, the xx/yy folders it leaves
    /// empty stay (there are at most 65,792 of them): removing one and making it again for the next file
    /// costs two directory operations, and making a directory is what ext4 charges most for (its
    /// inode allocator scans for a group): a fifth of the server's time when routing deletes every
    /// instance it receives (bench/README.md, "Lua").
    /// </summary>
    public bool Remove(string uuid)
    {
        var path = PathOf(uuid);
        if (!File.Exists(path))
            return false;
        File.Delete(path);
        return true;
    }

    /// <summary>Deletes the temporary files a crash left behind (called at start-up); returns how many.</summary>
    public int RemoveLeftoverTemporaryFiles()
    {
        var count = 0;
        foreach (var file in AttachmentFolders().SelectMany(folder => Directory.EnumerateFiles(folder, "*" + TemporarySuffix)))
        {
            File.Delete(file);
            count++;
        }

        return count;
    }

    /// <summary>
    /// The UUIDs of the attachment files present (for the orphan check after a crash). Only files in
    /// the <c>xx/yy/uuid</c> layout count: the index (and anything else) may share the root folder.
    /// </summary>
    public IEnumerable<string> AllUuids() =>
        AttachmentFolders().SelectMany(folder => Directory.EnumerateFiles(folder))
            .Select(Path.GetFileName)
            .Where(name => name is not null && !name.EndsWith(TemporarySuffix, StringComparison.Ordinal))
            .Select(name => name!);

    // root/xx/yy where xx and yy are two hexadecimal digits, as PathOf lays attachments out.
    private IEnumerable<string> AttachmentFolders() =>
        Directory.EnumerateDirectories(Root).Where(IsHexPair)
            .SelectMany(first => Directory.EnumerateDirectories(first).Where(IsHexPair));

    private static bool IsHexPair(string path)
    {
        var name = Path.GetFileName(path);
        return name.Length == 2 && Uri.IsHexDigit(name[0]) && Uri.IsHexDigit(name[1]);
    }

    private static byte[] Compressed(ReadOnlySpan<byte> content)
    {
        using var output = new MemoryStream(content.Length / 2 + 64);
        Span<byte> size = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(size, (ulong)content.Length);
        output.Write(size);
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
            zlib.Write(content);
        return output.ToArray();
    }

    private static byte[] Decompressed(byte[] stored, string uuid)
    {
        if (stored.Length < 8)
            throw new InvalidDataException($"attachment {uuid} is too short to be compressed");
        var size = BinaryPrimitives.ReadUInt64LittleEndian(stored);
        if (size > int.MaxValue)
            throw new InvalidDataException($"attachment {uuid} claims {size} bytes uncompressed");
        var content = new byte[size];
        if (size == 0)
            return content;
        using var zlib = new ZLibStream(new MemoryStream(stored, 8, stored.Length - 8), CompressionMode.Decompress);
        zlib.ReadExactly(content);
        return content;
    }
}
