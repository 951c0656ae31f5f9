using System.Globalization;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Data;
using DicomScript.Server.Jobs;
using DicomScript.Storage.Identifiers;

namespace DicomScript.Server.Modification;

// The saved form of a modification, for jobs that survive a restart: everything it does, and the
// new identifiers already handed out, so the instances modified after the restart join the same
// new study and series.
public sealed partial class DicomModification
{
    public JsonObject Serialize() => new()
    {
        ["Level"] = Level.ToString(),
        ["IsAnonymization"] = IsAnonymization,
        ["RemovePrivateTags"] = RemovePrivateTags,
        ["AllowManualIdentifiers"] = AllowManualIdentifiers,
        ["UpdateReferencedRelationships"] = UpdateReferencedRelationships,
        ["KeepStudyInstanceUID"] = KeepStudyInstanceUid,
        ["KeepSeriesInstanceUID"] = KeepSeriesInstanceUid,
        ["KeepSOPInstanceUID"] = KeepSopInstanceUid,
        ["PrivateCreator"] = PrivateCreator,
        ["Removals"] = Tags(_removals),
        ["Clearings"] = Tags(_clearings),
        ["Uids"] = Tags(_uids),
        ["PrivateTagsToKeep"] = Tags(_privateTagsToKeep),
        ["RemovedRanges"] = new JsonArray([.. _removedRanges.Select(r => new JsonArray(r.GroupFrom, r.GroupTo, r.ElementFrom, r.ElementTo))]),
        ["Replacements"] = new JsonObject(_replacements.Select(r => KeyValuePair.Create(r.Key.ToString(), r.Value?.DeepClone()))),
        ["KeptPaths"] = JobJson.Array(_keptPaths.Select(p => p.ToString())),
        ["RemovedPaths"] = JobJson.Array(_removedPaths.Select(p => p.ToString())),
        ["PathReplacements"] = new JsonArray([.. _pathReplacements.Select(r => new JsonObject { ["Path"] = r.Path.ToString(), ["Value"] = r.Value?.DeepClone() })]),
        ["IdentifierMap"] = new JsonArray([.. _identifierMap.Select(m => new JsonArray(m.Key.Level.ToString(), m.Key.Original, m.Value))]),
    };

    public static DicomModification Deserialize(JsonObject saved)
    {
        ArgumentNullException.ThrowIfNull(saved);
        var modification = new DicomModification
        {
            Level = Enum.Parse<ResourceLevel>(JobJson.String(saved, "Level")),
            IsAnonymization = JobJson.Boolean(saved, "IsAnonymization"),
            RemovePrivateTags = JobJson.Boolean(saved, "RemovePrivateTags"),
            AllowManualIdentifiers = JobJson.Boolean(saved, "AllowManualIdentifiers"),
            UpdateReferencedRelationships = JobJson.Boolean(saved, "UpdateReferencedRelationships"),
            KeepStudyInstanceUid = JobJson.Boolean(saved, "KeepStudyInstanceUID"),
            KeepSeriesInstanceUid = JobJson.Boolean(saved, "KeepSeriesInstanceUID"),
            KeepSopInstanceUid = JobJson.Boolean(saved, "KeepSOPInstanceUID"),
            PrivateCreator = JobJson.String(saved, "PrivateCreator"),
        };
        modification._removals.UnionWith(ReadTags(saved, "Removals"));
        modification._clearings.UnionWith(ReadTags(saved, "Clearings"));
        modification._uids.UnionWith(ReadTags(saved, "Uids"));
        modification._privateTagsToKeep.UnionWith(ReadTags(saved, "PrivateTagsToKeep"));
        foreach (var range in JobJson.Items(saved, "RemovedRanges"))
        {
            ushort At(int i) => range![i]!.GetValue<ushort>();
            modification._removedRanges.Add(new TagRange(At(0), At(1), At(2), At(3)));
        }

        foreach (var (tag, value) in JobJson.Object(saved, "Replacements"))
            modification._replacements[DicomPath.ParseTag(tag)] = value?.DeepClone();
        modification._keptPaths.AddRange(JobJson.Strings(saved, "KeptPaths").Select(DicomPath.Parse));
        modification._removedPaths.AddRange(JobJson.Strings(saved, "RemovedPaths").Select(DicomPath.Parse));
        foreach (var replacement in JobJson.Items(saved, "PathReplacements"))
        {
            var entry = replacement!.AsObject();
            modification._pathReplacements.Add((DicomPath.Parse(JobJson.String(entry, "Path")), entry["Value"]?.DeepClone()));
        }

        foreach (var mapping in JobJson.Items(saved, "IdentifierMap"))
        {
            var level = Enum.Parse<ResourceLevel>(mapping![0]!.GetValue<string>());
            modification._identifierMap[(level, mapping[1]!.GetValue<string>())] = mapping[2]!.GetValue<string>();
        }

        return modification;
    }

    private static JsonArray Tags(IEnumerable<DicomTag> tags) => JobJson.Array(tags.Select(t => t.ToString()));

    private static IEnumerable<DicomTag> ReadTags(JsonObject saved, string key) =>
        JobJson.Strings(saved, key).Select(t => DicomTag.TryParse(t, out var tag) ? tag : throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"{key}: not a tag: {t}")));
}
