using DicomScript.Dicom.Data;
using DicomScript.Storage.Identifiers;
using DicomScript.Storage.Index;

namespace DicomScript.Storage.Search;

/// <summary>
/// What a search needs to read from the index, instead of all of it:
/// <list type="bullet">
/// <item>When the lookup pins a DICOM identifier of the query level or above (PatientID,
/// StudyInstanceUID, AccessionNumber, SeriesInstanceUID, SOPInstanceUID) to exact values, every
/// match lies under those resources: they, their ancestors and descendants are read through the
/// identifier index.</item>
/// <item>Otherwise the candidates of the query level are narrowed by the constraints on tags their
/// own index rows hold (read tag by tag through the tag index, each value tested with the
/// constraint's own rule), and only those candidates, their ancestors and, when the search needs
/// them, their descendants are read.</item>
/// </list>
/// The finder then applies the same rules to the smaller set, so the answers are the same.
/// </summary>
public static class IndexScope
{
    /// <param name="index">The index to read.</param>
    /// <param name="queryLevel">The level whose resources are searched.</param>
    /// <param name="lookup">The constraints.</param>
    /// <param name="withDescendants">
    /// Whether the search looks below the query level: constraints on deeper tags or tags outside
    /// the index, computed counts, sample files.
    /// </param>
    public static IReadOnlyList<IndexedResource> For(SqliteIndex index, ResourceLevel queryLevel, DicomLookup lookup, bool withDescendants = true)
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
        if (pinned.Constraint is { } constraint)
            return index.ResourcesAround(pinned.Level!.Value, constraint.Tag, [.. constraint.Values]);

        IEnumerable<long>? candidates = null;
        foreach (var onOwnRows in lookup.Constraints.Where(c => c.Mandatory && StoredOnRowsOf(queryLevel, c.Tag)))
        {
            // A mandatory constraint fails on a resource without the tag, so the rows that have it are enough.
            var passing = index.TagValues(queryLevel, onOwnRows.Tag).Where(v => onOwnRows.IsMatch(v.Value)).Select(v => v.InternalId);
            candidates = candidates is null ? passing.ToHashSet() : candidates.Intersect(passing).ToHashSet();
        }

        return candidates is null ? index.ResourcesAt(queryLevel, withDescendants) : index.ResourcesFrom([.. candidates], withDescendants);
    }

    /// <summary>
    /// Whether the value a search compares for this tag is always the one on the level's own index
    /// rows: the rows hold it (a study's hold its patient's tags too) and no ancestor's rows could
    /// supply it instead (ImageOrientationPatient is a series and an instance tag).
    /// </summary>
    public static bool StoredOnRowsOf(ResourceLevel level, DicomTag tag)
    {
        static bool OnRows(ResourceLevel rows, DicomTag tag) =>
            MainDicomTags.Of(rows).Contains(tag) || (rows == ResourceLevel.Study && MainDicomTags.Of(ResourceLevel.Patient).Contains(tag));
        // Below the patient level, patient tags come from the study's copy, never the patient's rows.
        var ancestors = Enum.GetValues<ResourceLevel>().Where(l => l < level && (l != ResourceLevel.Patient || level == ResourceLevel.Patient));
        return OnRows(level, tag) && !ancestors.Any(a => OnRows(a, tag));
    }
}
