using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Storage.Identifiers;
using DicomScript.Storage.Index;
using DicomScript.Storage.Search;

namespace DicomScript.Server.Services;

/// <summary>The resources a search matched, in Orthanc's order, and the finder that holds what was read (parents, children, tags).</summary>
public sealed record SearchResult(ResourceFinder Finder, IReadOnlyList<IndexedResource> Matches);

/// <summary>
/// One search over the archive, shared by C-FIND and <c>/tools/find</c> as Orthanc 1.10.1 shares
/// it: the index narrows the candidates, the finder applies every constraint (reading one
/// instance's file per candidate for tags the index lacks). At study level a ModalitiesInStudy
/// constraint becomes a Modality constraint on the series, whose studies are the matches.
/// </summary>
public sealed class ArchiveSearch
{
    private readonly SqliteIndex _index;
    private readonly InstanceTagReader _readInstance;

    public ArchiveSearch(SqliteIndex index, InstanceTagReader readInstance)
    {
        _index = index ?? throw new ArgumentNullException(nameof(index));
        _readInstance = readInstance ?? throw new ArgumentNullException(nameof(readInstance));
    }

    /// <param name="level">The level whose resources are searched.</param>
    /// <param name="lookup">The constraints.</param>
    /// <param name="readBelow">
    /// Whether the caller looks below the matches afterwards (sample files, computed counts); the
    /// search reads them anyway when a constraint needs a file.
    /// </param>
    /// <param name="readTags">
    /// The main tags the caller reads from the finder, of the matches and their ancestors, besides
    /// the constrained ones (a C-FIND answer's keys); null for all of them, empty for none.
    /// </param>
    public SearchResult Find(ResourceLevel level, DicomLookup lookup, bool readBelow, IReadOnlyCollection<DicomTag>? readTags = null)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        var viaSeries = level == ResourceLevel.Study && lookup.Has(DicomTags.ModalitiesInStudy);
        var searched = viaSeries ? lookup.Retarget(DicomTags.ModalitiesInStudy, DicomTags.Modality) : lookup;
        var searchLevel = viaSeries ? ResourceLevel.Series : level;
        var needsFiles = searched.Constraints.Any(c => !ResourceFinder.IsMainTag(c.Tag));
        // What the index rows decide alone needs no finder (the caller reads nothing more).
        if (!viaSeries && !readBelow && readTags is { Count: 0 } && IndexScope.ExactMatches(_index, level, lookup) is { } exact)
        {
            IReadOnlyList<IndexedResource> ordered = level == ResourceLevel.Instance
                ? [.. exact.OrderBy(r => r.InternalId)]
                : [.. exact.OrderBy(r => r.PublicId, StringComparer.Ordinal)];
            return new SearchResult(new ResourceFinder(exact, _readInstance), ordered);
        }

        // Studies found through their series are ordered by StudyInstanceUID, read for that.
        var finder = new ResourceFinder(IndexScope.For(_index, searchLevel, searched, withDescendants: readBelow || needsFiles,
            allTags: readTags is null, alsoRead: viaSeries ? [.. readTags ?? [], DicomTags.StudyInstanceUID] : readTags), _readInstance);
        // Orthanc's order (its SQL groups by public ID above the instance level): instances as
        // they arrived, other levels by public ID, studies found through their series by StudyInstanceUID.
        IReadOnlyList<IndexedResource> matches = viaSeries
            ? [.. finder.FindResources(ResourceLevel.Series, searched).Select(s => finder.Parent(s)!).DistinctBy(s => s.InternalId)
                .OrderBy(s => s.MainTags.GetValueOrDefault(DicomTags.StudyInstanceUID), StringComparer.Ordinal).ThenBy(s => s.PublicId, StringComparer.Ordinal)]
            : level == ResourceLevel.Instance ? finder.FindResources(level, searched)
            : [.. finder.FindResources(level, searched).OrderBy(r => r.PublicId, StringComparer.Ordinal)];
        return new SearchResult(finder, matches);
    }
}
