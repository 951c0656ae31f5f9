using DicomScript.Storage.Identifiers;
using DicomScript.Storage.Index;

namespace DicomScript.Storage.Search;

/// <summary>
/// What a search needs to read from the index. When the lookup pins a DICOM identifier of the query
/// level or above (PatientID, StudyInstanceUID, AccessionNumber, SeriesInstanceUID, SOPInstanceUID)
/// to exact values, every match lies under those resources, so only they, their ancestors and their
/// descendants are read (an indexed SQL lookup); otherwise the whole index is. The finder then applies
/// the same rules to either, so the answers are the same.
/// </summary>
public static class IndexScope
{
    public static IReadOnlyList<IndexedResource> For(SqliteIndex index, ResourceLevel queryLevel, DicomLookup lookup)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(lookup);
        // A deeper identifier (SOPInstanceUID in a study query) is not used: the finder's sample
        // instance of a candidate must stay the oldest of all its instances.
        var pinned = lookup.Constraints
            .Where(c => c is { Mandatory: true, CaseSensitive: true, Kind: ConstraintKind.Equal or ConstraintKind.List })
            .Select(c => (Constraint: c, Level: SqliteIndex.IdentifierLevel(c.Tag)))
            .Where(p => p.Level is { } level && level <= queryLevel)
            .OrderByDescending(p => p.Level) // the deepest pinned level narrows most
            .FirstOrDefault();
        return pinned.Constraint is { } constraint
            ? index.ResourcesAround(pinned.Level!.Value, constraint.Tag, [.. constraint.Values])
            : index.AllResources();
    }
}
