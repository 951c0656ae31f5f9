using DicomScript.Dicom.Data;
using DicomScript.Storage.Identifiers;
using DicomScript.Storage.Index;

namespace DicomScript.Storage.Search;

/// <summary>
/// What a search needs to read from the index, instead of all of it:
/// <list type="bullet">
/// <item>When the lookup pins a DICOM identifier of the query level or above (PatientID,
/// StudyInstanceUID, AccessionNumber, SeriesInstanceUID, SOPInstanceUID) to exact values (with or
/// without case), every match lies under those resources: they, their ancestors and descendants
/// are read through the identifier index.</item>
/// <item>Otherwise the candidates of the query level are narrowed by the constraints on tags the
/// index rows of that level or of one above hold (read tag by tag through the tag index, each
/// value tested with the constraint's own rule; StudyDate in a series query narrows the studies,
/// then takes their series), and only those candidates, their ancestors and, when the search
/// needs them, their descendants are read.</item>
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
    /// <param name="allTags">
    /// Whether the caller reads the main tags of what was found (a C-FIND answer does); else only
    /// those the constraints and <paramref name="alsoRead"/> name are read.
    /// </param>
    /// <param name="alsoRead">Tags read besides the constrained ones when not <paramref name="allTags"/>.</param>
    public static IReadOnlyList<IndexedResource> For(SqliteIndex index, ResourceLevel queryLevel, DicomLookup lookup, bool withDescendants = true,
        bool allTags = true, IEnumerable<DicomTag>? alsoRead = null)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(lookup);
        // A deeper identifier (SOPInstanceUID in a study query) is not used: the finder's sample
        // instance of a candidate must stay the oldest of all its instances.
        var reach = new ScopeReach(withDescendants ? ResourceLevel.Instance : queryLevel,
            allTags ? null : [.. lookup.Constraints.Select(c => c.Tag).Concat(alsoRead ?? []).Distinct()]);
        var pinned = lookup.Constraints
            .Where(c => c is { Mandatory: true, Kind: ConstraintKind.Equal or ConstraintKind.List })
            .Select(c => (Constraint: c, Level: SqliteIndex.IdentifierLevel(c.Tag)))
            .Where(p => p.Level is { } level && level <= queryLevel)
            .OrderByDescending(p => p.Level) // the deepest pinned level narrows most
            .FirstOrDefault();
        if (pinned.Constraint is { } constraint)
            return index.ResourcesAround(pinned.Level!.Value, constraint.Tag, [.. constraint.Values], constraint.CaseSensitive, reach);

        var (candidates, _) = Narrow(index, queryLevel, lookup);
        return candidates is null ? index.ResourcesAt(queryLevel, reach) : index.ResourcesFrom(queryLevel, candidates, reach);
    }

    /// <summary>
    /// The matches themselves, without their tags and without running a finder, when the index rows
    /// decide every constraint (each is mandatory and on a tag exactly one level's rows supply, see
    /// <see cref="RowsSupplying"/>) and no identifier pins the search (that path is as fast); null
    /// otherwise. In no particular order.
    /// </summary>
    public static IReadOnlyList<IndexedResource>? ExactMatches(SqliteIndex index, ResourceLevel queryLevel, DicomLookup lookup)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(lookup);
        if (lookup.Constraints.Count == 0 || lookup.Constraints.Any(c => c.Kind is ConstraintKind.Equal or ConstraintKind.List && SqliteIndex.IdentifierLevel(c.Tag) is not null))
            return null;
        var (candidates, exact) = Narrow(index, queryLevel, lookup);
        if (!exact || candidates is null)
            return null;
        return index.ResourcesWithoutTags(candidates);
    }

    // The candidates of the query level after the constraints the index rows can test (null when
    // none can), and whether those rows decided every constraint.
    private static (HashSet<long>? Candidates, bool Exact) Narrow(SqliteIndex index, ResourceLevel queryLevel, DicomLookup lookup)
    {
        HashSet<long>? candidates = null;
        var exact = true;
        // A range is two constraints on one tag: its values are read once.
        foreach (var onTag in lookup.Constraints.GroupBy(c => c.Tag))
        {
            var narrowing = onTag.Where(c => c.Mandatory).ToList();
            if (narrowing.Count < onTag.Count())
                exact = false;
            if (narrowing.Count == 0 || RowsSupplying(queryLevel, onTag.Key) is not { } rows)
            {
                exact = false;
                continue;
            }

            // A mandatory constraint fails on a resource without the tag, so the rows that have it
            // are enough, and SQLite drops most of those that fail; a level above the query's
            // narrows to the resources below the passing ones.
            var passing = index.TagValues(rows, onTag.Key, ValuePrefilter.For(narrowing)).Where(v => narrowing.All(c => c.IsMatch(v.Value))).Select(v => v.InternalId).ToList();
            var atQueryLevel = index.DescendantsAt(passing, rows, queryLevel);
            if (candidates is null)
                candidates = [.. atQueryLevel];
            else
                candidates.IntersectWith(atQueryLevel);
        }

        return (candidates, exact);
    }

    /// <summary>
    /// The one level whose index rows always supply the value a search at <paramref name="queryLevel"/>
    /// compares for <paramref name="tag"/> (the finder takes it from the resource or its nearest
    /// ancestor that has it; below the patient level, patient tags from the study's copy); null
    /// when no level's rows hold the tag, or several could (ImageOrientationPatient is a series and
    /// an instance tag).
    /// </summary>
    public static ResourceLevel? RowsSupplying(ResourceLevel queryLevel, DicomTag tag)
    {
        var supplying = Enum.GetValues<ResourceLevel>()
            .Where(l => l <= queryLevel && (l != ResourceLevel.Patient || queryLevel == ResourceLevel.Patient) && SqliteIndex.RowsHold(l, tag))
            .ToList();
        return supplying.Count == 1 ? supplying[0] : null;
    }
}
