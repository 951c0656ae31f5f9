using System.Text.Json.Nodes;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Storage.Identifiers;

namespace DicomScript.Server.Modification;

/// <summary>
/// What a modification or anonymization does to each instance, with Orthanc 1.10.1's rules:
/// attributes to remove, empty, replace or keep (top-level tags or paths into sequences), private
/// tags, and which DICOM identifiers get new values. One object serves a whole job, so the new
/// identifiers it hands out are remembered: every instance of a study gets the same new
/// StudyInstanceUID, and references between instances stay consistent.
/// <see cref="Apply"/> is in DicomModification.Apply.cs, reading requests in ModificationRequest.
/// </summary>
public sealed partial class DicomModification
{
    private const string MethodSuffix2008 = " - PS 3.15-2008 Table E.1-1";
    private const string MethodSuffix = " Table E.1-1 Basic Profile";

    private readonly SortedSet<DicomTag> _removals = [];
    private readonly SortedSet<DicomTag> _clearings = [];
    private readonly SortedSet<DicomTag> _uids = [];
    private readonly SortedSet<DicomTag> _privateTagsToKeep = [];
    private readonly List<TagRange> _removedRanges = [];
    private readonly SortedDictionary<DicomTag, JsonNode?> _replacements = [];
    private readonly List<DicomPath> _keptPaths = [];
    private readonly List<DicomPath> _removedPaths = [];
    private readonly List<(DicomPath Path, JsonNode? Value)> _pathReplacements = [];
    private readonly Dictionary<(ResourceLevel Level, string Original), string> _identifierMap = [];

    public ResourceLevel Level { get; private set; } = ResourceLevel.Instance;

    public bool RemovePrivateTags { get; private set; }

    public bool IsAnonymization { get; private set; }

    /// <summary>False refuses a replaced StudyInstanceUID (and below) when modifying a whole patient, and so on down.</summary>
    public bool AllowManualIdentifiers { get; set; } = true;

    /// <summary>Remap the UIDs that refer to other instances (true) or remove them.</summary>
    public bool UpdateReferencedRelationships { get; set; } = true;

    public string PrivateCreator { get; set; } = "";

    public bool KeepStudyInstanceUid { get; private set; }

    public bool KeepSeriesInstanceUid { get; private set; }

    public bool KeepSopInstanceUid { get; private set; }

    /// <summary>The value of DeidentificationMethod we write for a profile applied as is.</summary>
    public static string DeidentificationMethod(string version) =>
        "DicomScript" + (version == "2008" ? MethodSuffix2008 : $" - PS 3.15-{version}" + MethodSuffix);

    /// <summary>Starts over as an anonymization with this edition of the basic profile.</summary>
    public void SetupAnonymization(BasicProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        IsAnonymization = true;
        _removals.Clear();
        _clearings.Clear();
        _uids.Clear();
        _removedRanges.Clear();
        _replacements.Clear();
        _pathReplacements.Clear();
        _privateTagsToKeep.Clear();
        _keptPaths.Clear();
        _removedPaths.Clear();
        _identifierMap.Clear();
        RemovePrivateTags = true;
        Level = ResourceLevel.Patient;

        _removals.UnionWith(profile.Removals);
        _clearings.UnionWith(profile.Clearings);
        _uids.UnionWith(profile.NewUids);
        _removedRanges.AddRange(profile.RemovedRanges);
        _replacements[DicomTags.DeidentificationMethod] = DeidentificationMethod(profile.Version);
        _replacements[DicomTags.PatientIdentityRemoved] = "YES";

        // A random patient ID, and a random name unless the request names one (see ModificationRequest).
        _uids.Add(DicomTags.PatientID);
        _uids.Add(DicomTags.PatientName);
    }

    /// <summary>Whether the anonymization still replaces the patient's name by a made-up one (nothing in the request touched it).</summary>
    public bool GeneratesPatientName => _uids.Contains(DicomTags.PatientName);

    /// <summary>The level whose identifiers (and those below) get new values; the job's map starts over.</summary>
    public void SetLevel(ResourceLevel level)
    {
        _identifierMap.Clear();
        Level = level;
        if (level != ResourceLevel.Patient)
            MarkNotProfileAsIs();
    }

    public void SetRemovePrivateTags(bool remove)
    {
        RemovePrivateTags = remove;
        if (!remove)
            MarkNotProfileAsIs();
    }

    public void Keep(DicomPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Prefix.Count == 0)
            Keep(path.FinalTag);
        _keptPaths.Add(path);
        MarkNotProfileAsIs();
    }

    public void Remove(DicomPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Prefix.Count == 0)
        {
            Forget(path.FinalTag);
            _removals.Add(path.FinalTag);
        }
        else
        {
            _removedPaths.Add(path);
        }

        MarkNotProfileAsIs();
    }

    /// <summary>Replaces (or inserts) an attribute; <paramref name="safeForAnonymization"/> keeps the DeidentificationMethod claim.</summary>
    public void Replace(DicomPath path, JsonNode? value, bool safeForAnonymization)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Prefix.Count == 0)
        {
            Forget(path.FinalTag);
            _replacements[path.FinalTag] = value?.DeepClone();
        }
        else
        {
            _pathReplacements.Add((path, value?.DeepClone()));
        }

        if (!safeForAnonymization)
            MarkNotProfileAsIs();
    }

    public bool IsReplaced(DicomTag tag) => _replacements.ContainsKey(tag);

    public bool IsRemoved(DicomTag tag) => _removals.Contains(tag) || _removedRanges.Exists(range => range.Contains(tag));

    public bool IsCleared(DicomTag tag) => _clearings.Contains(tag);

    private bool IsManuallyModified(DicomTag tag) => IsCleared(tag) || IsRemoved(tag) || IsReplaced(tag);

    // The last operation named for a top-level tag is the one that applies.
    private void Forget(DicomTag tag)
    {
        _removals.Remove(tag);
        _clearings.Remove(tag);
        _uids.Remove(tag);
        _replacements.Remove(tag);
        _privateTagsToKeep.Remove(tag);
    }

    private void Keep(DicomTag tag)
    {
        Forget(tag);
        if (tag == DicomTags.StudyInstanceUID)
            KeepStudyInstanceUid = true;
        else if (tag == DicomTags.SeriesInstanceUID)
            KeepSeriesInstanceUid = true;
        else if (tag == DicomTags.SOPInstanceUID)
            KeepSopInstanceUid = true;
        else if (tag.IsPrivate)
            _privateTagsToKeep.Add(tag);
    }

    // Once the request departs from the profile, the output must not claim to follow it.
    private void MarkNotProfileAsIs()
    {
        if (_replacements.TryGetValue(DicomTags.DeidentificationMethod, out var method)
            && method is JsonValue value && value.TryGetValue<string>(out var text)
            && text.StartsWith("DicomScript - PS 3.15-", StringComparison.Ordinal))
        {
            _replacements.Remove(DicomTags.DeidentificationMethod);
        }
    }

    /// <summary>The new value of an identifier at a level: made once, then the same for every instance of the job.</summary>
    private string MapIdentifier(string original, ResourceLevel level)
    {
        var key = (level, original.Trim());
        if (!_identifierMap.TryGetValue(key, out var mapped))
        {
            mapped = level == ResourceLevel.Patient ? Guid.NewGuid().ToString() : Dicom.Uids.NewUid.Generate();
            _identifierMap[key] = mapped;
        }

        return mapped;
    }

    // A replaced identifier is what the instances referring to the original must point to.
    private void RegisterMappedIdentifier(string original, string mapped, ResourceLevel level) =>
        _identifierMap.TryAdd((level, original), mapped);
}
