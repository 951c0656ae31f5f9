using DicomScript.Network.Scu;

namespace DicomScript.Server.Ingest;

/// <summary>
/// The last few files the ingest stored, already parsed, by attachment uuid, for whoever reads them
/// next: with OnStoredInstance defined, the script's tags or its routing job read each new instance
/// again within milliseconds, and would read and parse the file again.
/// <list type="bullet">
/// <item>Off (empty) unless the Lua engine turns it on, so a server nobody scripts keeps nothing.</item>
/// <item>An entry is taken, not shared: its reader owns the parsed dataset and may change it.</item>
/// <item>Keyed by uuid, it can never give an instance's old file: an instance stored again gets a new
/// uuid, and a deleted one has none left in the index to look up.</item>
/// <item>At most <see cref="MaxEntries"/> entries and <see cref="MaxBytes"/> bytes, the oldest
/// dropped first: when events lag behind, their readers go to the disk as before.</item>
/// </list>
/// </summary>
public sealed class RecentlyStoredFiles
{
    public const int MaxEntries = 256;
    public const long MaxBytes = 8L << 20;

    private readonly Dictionary<string, (FileToSend File, long Size, LinkedListNode<string> Node)> _files = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _oldestFirst = new();
    private readonly Lock _lock = new();
    private long _bytes;
    private volatile bool _enabled;

    /// <summary>Whether stored files are kept; turning it off empties the cache.</summary>
    public bool Enabled
    {
        get => _enabled;
        set
        {
            _enabled = value;
            if (!value)
            {
                lock (_lock)
                {
                    _files.Clear();
                    _oldestFirst.Clear();
                    _bytes = 0;
                }
            }
        }
    }

    /// <summary>How many files are kept.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
                return _files.Count;
        }
    }

    /// <summary>
    /// Keeps a file just stored under <paramref name="uuid"/>, parsed from <paramref name="size"/>
    /// bytes (its values are views of them); nothing when off or larger than the whole budget.
    /// True when it was kept: the bytes must then stay as they are.
    /// </summary>
    public bool Add(string uuid, FileToSend file, long size)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!_enabled || size > MaxBytes)
            return false;
        lock (_lock)
        {
            if (_files.ContainsKey(uuid))
                return false;
            _files[uuid] = (file, size, _oldestFirst.AddLast(uuid));
            _bytes += size;
            while (_files.Count > MaxEntries || _bytes > MaxBytes)
                Remove(_oldestFirst.First!.Value);
            return true;
        }
    }

    /// <summary>The file kept under <paramref name="uuid"/>, removed from the cache; null when not kept.</summary>
    public FileToSend? Take(string uuid)
    {
        if (!_enabled)
            return null;
        lock (_lock)
            return Remove(uuid);
    }

    private FileToSend? Remove(string uuid)
    {
        if (!_files.Remove(uuid, out var entry))
            return null;
        _oldestFirst.Remove(entry.Node);
        _bytes -= entry.Size;
        return entry.File;
    }
}
