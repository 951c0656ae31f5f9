using DicomScript.Dicom.Data;

namespace DicomScript.Dicom.Dictionary;

/// <summary>
/// The data dictionary: dcmtk's public and private dictionaries, generated into C# tables
/// (see tools/DicomScript.Generators), built on first use, plus the entries declared at run time.
/// </summary>
public static partial class DicomDictionary
{
    private static readonly Lazy<Tables> Loaded = new(Build);

    /// <summary>Every public entry, in the dictionary file's order.</summary>
    public static IReadOnlyList<DicomDictionaryEntry> PublicEntries => Loaded.Value.Public;

    /// <summary>Every private entry, in the dictionary file's order.</summary>
    public static IReadOnlyList<DicomDictionaryEntry> PrivateEntries => Loaded.Value.Private;

    // The entries declared at run time (the configuration's "Dictionary"), looked up before the
    // generated tables. Replaced whole on each declaration, so lookups never see one half-made.
    private static volatile Declarations _declared = Declarations.None;
    private static readonly Lock DeclareLock = new();

    /// <summary>
    /// Adds entries to the dictionary for the whole process, as Orthanc's <c>Dictionary</c>
    /// configuration does: they name tags (a later entry for the same tag wins), give the VR of
    /// implicit-VR data, and make keywords parsable.
    /// </summary>
    public static void Declare(IEnumerable<DicomDictionaryEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        lock (DeclareLock)
        {
            var next = _declared.Copy();
            foreach (var entry in entries)
            {
                if (entry.PrivateCreator is { } creator)
                    next.Private[(entry.GroupLow, creator, (byte)entry.ElementLow)] = entry;
                else
                    next.Exact[entry.Tag.Value] = entry;
                next.ByKeyword[entry.Keyword] = entry;
            }

            _declared = next;
        }
    }

    /// <summary>The public entry for a tag (exact tags first, then repeating ranges), or null.</summary>
    public static DicomDictionaryEntry? Find(DicomTag tag)
    {
        var declared = _declared;
        if (declared.Exact.Count > 0 && declared.Exact.TryGetValue(tag.Value, out var entry))
            return entry;
        var tables = Loaded.Value;
        if (tables.Exact.TryGetValue(tag.Value, out entry))
            return entry;
        foreach (var range in tables.Ranges)
        {
            if (range.Covers(tag))
                return range;
        }

        return null;
    }

    /// <summary>The private entry for a data element whose block is reserved by <paramref name="creator"/>, or null.</summary>
    public static DicomDictionaryEntry? FindPrivate(DicomTag tag, string creator)
    {
        var key = (tag.Group, creator, (byte)tag.Element);
        var declared = _declared;
        return declared.Private.Count > 0 && declared.Private.TryGetValue(key, out var entry) ? entry : Loaded.Value.PrivateByKey.GetValueOrDefault(key);
    }

    /// <summary>
    /// A tag as Orthanc's JSON names it (queries, Lua tables): <c>gggg,eeee</c>, <c>ggggeeee</c> or a
    /// dictionary keyword.
    /// </summary>
    public static bool TryParseTag(string name, out DicomTag tag) => DicomTag.TryParse(name, out tag) || TryFindTag(name, out tag);

    /// <summary>Looks a tag up by its keyword (single tags only), e.g. <c>PatientName</c>.</summary>
    public static bool TryFindTag(string keyword, out DicomTag tag)
    {
        var declared = _declared;
        var found = (declared.ByKeyword.Count > 0 && declared.ByKeyword.TryGetValue(keyword, out var entry))
            || Loaded.Value.ByKeyword.TryGetValue(keyword, out entry);
        tag = found ? entry!.Tag : default;
        return found;
    }

    private sealed record Declarations(
        Dictionary<uint, DicomDictionaryEntry> Exact,
        Dictionary<(ushort, string, byte), DicomDictionaryEntry> Private,
        Dictionary<string, DicomDictionaryEntry> ByKeyword)
    {
        public static readonly Declarations None = new([], [], new Dictionary<string, DicomDictionaryEntry>(StringComparer.Ordinal));

        public Declarations Copy() => new(new(Exact), new(Private), new(ByKeyword, StringComparer.Ordinal));
    }

    private sealed record Tables(
        List<DicomDictionaryEntry> Public,
        List<DicomDictionaryEntry> Private,
        Dictionary<uint, DicomDictionaryEntry> Exact,
        List<DicomDictionaryEntry> Ranges,
        Dictionary<(ushort, string, byte), DicomDictionaryEntry> PrivateByKey,
        Dictionary<string, DicomDictionaryEntry> ByKeyword);

    private static Tables Build()
    {
        var publicEntries = LoadPublicEntries();
        var privateEntries = LoadPrivateEntries();
        var exact = new Dictionary<uint, DicomDictionaryEntry>(publicEntries.Count);
        var ranges = new List<DicomDictionaryEntry>();
        var byKeyword = new Dictionary<string, DicomDictionaryEntry>(StringComparer.Ordinal);
        foreach (var entry in publicEntries)
        {
            if (entry.IsSingleTag)
            {
                // Later lines override earlier ones, as dcmtk reads its dictionary.
                exact[entry.Tag.Value] = entry;
                byKeyword[entry.Keyword] = entry;
            }
            else
            {
                ranges.Add(entry);
            }
        }

        // Narrower ranges first, so (0009-o-FFFF,0010-u-00FF) does not hide a more specific entry.
        ranges.Sort((a, b) => Width(a).CompareTo(Width(b)));
        var privateByKey = new Dictionary<(ushort, string, byte), DicomDictionaryEntry>();
        foreach (var entry in privateEntries)
        {
            for (var group = entry.GroupLow; group <= entry.GroupHigh && group >= entry.GroupLow; group++)
            {
                privateByKey[(group, entry.PrivateCreator!, (byte)entry.ElementLow)] = entry;
                if (group == ushort.MaxValue)
                    break;
            }
        }

        return new Tables(publicEntries, privateEntries, exact, ranges, privateByKey, byKeyword);
    }

    private static long Width(DicomDictionaryEntry e) =>
        (long)(e.GroupHigh - e.GroupLow + 1) * (e.ElementHigh - e.ElementLow + 1);
}
