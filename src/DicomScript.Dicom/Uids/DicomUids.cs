namespace DicomScript.Dicom.Uids;

/// <summary>Well-known UIDs (generated from dcmtk) and look-ups over them.</summary>
public static partial class DicomUids
{
    private static readonly Lazy<Dictionary<string, DicomUidInfo>> ByUid = new(() =>
    {
        var map = new Dictionary<string, DicomUidInfo>(StringComparer.Ordinal);
        foreach (var info in LoadTable())
            map.TryAdd(info.Uid, info);
        return map;
    });

    /// <summary>Every UID of the table.</summary>
    public static IEnumerable<DicomUidInfo> All => ByUid.Value.Values;

    /// <summary>Every storage SOP class UID.</summary>
    public static IEnumerable<string> StorageSopClasses =>
        ByUid.Value.Values.Where(u => u.Kind == DicomUidKind.StorageSopClass).Select(u => u.Uid);

    /// <summary>The table entry for a UID, or null when it is not a well-known one.</summary>
    public static DicomUidInfo? Find(string uid) => ByUid.Value.GetValueOrDefault(uid);

    public static bool IsStorageSopClass(string uid) => Find(uid)?.Kind == DicomUidKind.StorageSopClass;
}
