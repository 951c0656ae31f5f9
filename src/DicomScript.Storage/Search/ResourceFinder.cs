using DicomScript.Dicom.Data;
using DicomScript.Storage.Identifiers;
using DicomScript.Storage.Index;

namespace DicomScript.Storage.Search;

/// <summary>Reads one tag of a stored instance's DICOM file (null when absent): for constraints the index cannot answer.</summary>
public delegate Func<DicomTag, string?> InstanceTagReader(string instanceId);

/// <summary>
/// Finds the resources of one level that satisfy a lookup, with Orthanc 1.10.1's semantics:
/// <list type="bullet">
/// <item>When every constrained tag is a main tag, a resource is matched against its own main tags
/// and its ancestors', patient tags taken from the study's copy; a tag of a deeper level (Modality
/// in a study query) is absent there, so it never matches.</item>
/// <item>Otherwise the main-tag constraints first narrow the candidates (deeper levels needing a
/// matching descendant), then every constraint is checked against the whole DICOM file of one
/// sample instance, the oldest, of each candidate.</item>
/// </list>
/// </summary>
public sealed class ResourceFinder
{
    private static readonly HashSet<DicomTag> AnyMainTag =
        [.. Enum.GetValues<ResourceLevel>().SelectMany(MainDicomTags.Of)];

    private readonly IReadOnlyList<IndexedResource> _all;
    private readonly Dictionary<long, IndexedResource> _byId;
    private readonly ILookup<long, IndexedResource> _children;
    private readonly InstanceTagReader? _readInstance;

    public ResourceFinder(IReadOnlyList<IndexedResource> resources, InstanceTagReader? readInstance = null)
    {
        ArgumentNullException.ThrowIfNull(resources);
        _all = resources;
        _byId = resources.ToDictionary(r => r.InternalId);
        _children = resources.Where(r => r.ParentInternalId is not null).ToLookup(r => r.ParentInternalId!.Value);
        _readInstance = readInstance;
    }

    /// <summary>True for a tag the index keeps at some level (anything else needs a file read).</summary>
    public static bool IsMainTag(DicomTag tag) => AnyMainTag.Contains(tag);

    /// <summary>The public IDs of the matching resources of <paramref name="level"/>, oldest first.</summary>
    public IReadOnlyList<string> Find(ResourceLevel level, DicomLookup lookup) =>
        [.. FindResources(level, lookup).Select(r => r.PublicId)];

    /// <summary>The matching resources of <paramref name="level"/>, oldest first.</summary>
    public IReadOnlyList<IndexedResource> FindResources(ResourceLevel level, DicomLookup lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        var candidates = _all.Where(r => r.Level == level);
        if (lookup.Constraints.All(c => AnyMainTag.Contains(c.Tag)))
            return [.. candidates.Where(r => lookup.IsMatch(MainTagsUpTo(r)))];

        if (_readInstance is null)
            throw new InvalidOperationException("This lookup needs tags outside the index, and the finder cannot read files");
        var mainOnly = lookup.Constraints.Where(c => AnyMainTag.Contains(c.Tag))
            .GroupBy(c => LevelOf(c.Tag, level)).ToDictionary(g => g.Key, g => g.ToList());
        var deepest = mainOnly.Keys.Where(l => l > level).DefaultIfEmpty(level).Max();
        return [.. candidates
            .Where(r => Ancestry(r).All(a => Satisfies(a, mainOnly)) && HasMatchingDescendants(r, deepest, mainOnly))
            .Where(r => SampleInstance(r) is { } sample && lookup.IsMatch(_readInstance(sample.PublicId)))];
    }

    /// <summary>The level a main tag belongs to: the query level if it has it, else the highest that does; patient tags are read from the study below the patient level.</summary>
    private static ResourceLevel LevelOf(DicomTag tag, ResourceLevel queryLevel)
    {
        if (MainDicomTags.Of(queryLevel).Contains(tag))
            return queryLevel;
        var level = Enum.GetValues<ResourceLevel>().First(l => MainDicomTags.Of(l).Contains(tag));
        return level == ResourceLevel.Patient ? ResourceLevel.Study : level;
    }

    /// <summary>
    /// The main tags of a resource and its ancestors, as a lookup and a C-FIND answer see them.
    /// Below the patient level, patient tags come from the study's copy only: a study whose first
    /// instance had no PatientName does not inherit the one another study gave the patient.
    /// </summary>
    public Func<DicomTag, string?> MainTagsUpTo(IndexedResource resource)
    {
        // Plain loops: this runs for every key of every C-FIND answer.
        var ancestry = new List<IReadOnlyDictionary<DicomTag, string>>(4);
        foreach (var current in Ancestry(resource))
        {
            if (current.Level != ResourceLevel.Patient || resource.Level == ResourceLevel.Patient)
                ancestry.Add(current.MainTags);
        }

        return tag =>
        {
            foreach (var tags in ancestry)
            {
                if (tags.TryGetValue(tag, out var value))
                    return value;
            }

            return null;
        };
    }

    private IEnumerable<IndexedResource> Ancestry(IndexedResource resource)
    {
        for (IndexedResource? current = resource; current is not null; current = Parent(current))
            yield return current;
    }

    private bool HasMatchingDescendants(IndexedResource resource, ResourceLevel deepest, Dictionary<ResourceLevel, List<TagConstraint>> byLevel) =>
        resource.Level >= deepest
        || _children[resource.InternalId].Any(child => Satisfies(child, byLevel) && HasMatchingDescendants(child, deepest, byLevel));

    private static bool Satisfies(IndexedResource resource, Dictionary<ResourceLevel, List<TagConstraint>> byLevel) =>
        !byLevel.TryGetValue(resource.Level, out var constraints)
        || constraints.All(c => c.IsMatch(resource.MainTags.GetValueOrDefault(c.Tag)));

    /// <summary>The parent of a resource (null for a patient).</summary>
    public IndexedResource? Parent(IndexedResource resource) =>
        resource.ParentInternalId is { } parent ? _byId[parent] : null;

    /// <summary>The children of a resource, oldest first.</summary>
    public IEnumerable<IndexedResource> Children(IndexedResource resource) => _children[resource.InternalId];

    /// <summary>The oldest instance below a resource (itself for an instance); null when it has none.</summary>
    public IndexedResource? SampleInstance(IndexedResource resource)
    {
        var current = resource;
        while (current.Level != ResourceLevel.Instance)
        {
            if (_children[current.InternalId].FirstOrDefault() is not { } child)
                return null;
            current = child;
        }

        return current;
    }
}
