using System.Globalization;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Json;
using DicomScript.Storage.Identifiers;
using DicomScript.Storage.Index;
using Microsoft.AspNetCore.Http;

namespace DicomScript.Rest;

/// <summary>The JSON of a resource as Orthanc 1.10.1's <c>GET /{level}/{id}</c> shows it.</summary>
internal static class ResourceJson
{
    private static readonly DicomDataset NoOwner = new();

    public static string TypeOf(ResourceLevel level) => level.ToString();

    /// <summary>
    /// The tag format a request asks for (<c>?simplify</c>, <c>?short</c>, <c>?full</c>, checked in
    /// that order as Orthanc does), else <paramref name="fallback"/>.
    /// </summary>
    public static OrthancTagFormat FormatOf(IQueryCollection query, OrthancTagFormat fallback) =>
        query.ContainsKey("simplify") ? OrthancTagFormat.Simplified
        : query.ContainsKey("short") ? OrthancTagFormat.Short
        : query.ContainsKey("full") ? OrthancTagFormat.Full
        : fallback;

    /// <summary>
    /// The resource's object, its main tags in <paramref name="format"/>; null when it is unknown
    /// or not of <paramref name="level"/> (when given).
    /// </summary>
    public static JsonObject? Describe(SqliteIndex index, string id, OrthancTagFormat format = OrthancTagFormat.Simplified, ResourceLevel? level = null)
    {
        var resource = index.Get(id);
        return resource is null || (level is not null && resource.Level != level) ? null : Describe(index, resource, format);
    }

    /// <summary>
    /// The objects of several resources, in their order, as <see cref="Describe(SqliteIndex, string, OrthancTagFormat, ResourceLevel?)"/>
    /// gives each (the unknown ones, or those not of <paramref name="level"/>, left out), read from the index at once.
    /// </summary>
    public static IEnumerable<JsonObject> DescribeMany(SqliteIndex index, IReadOnlyList<string> ids, OrthancTagFormat format = OrthancTagFormat.Simplified,
        ResourceLevel? level = null)
    {
        var resources = index.GetMany(ids);
        foreach (var id in ids)
        {
            if (resources.TryGetValue(id, out var resource) && (level is null || resource.Level == level))
                yield return Describe(index, resource, format);
        }
    }

    private static JsonObject Describe(SqliteIndex index, ResourceInfo resource, OrthancTagFormat format)
    {
        var id = resource.PublicId;
        var json = new JsonObject { ["ID"] = id };
        var metadata = resource.Metadata;
        switch (resource.Level)
        {
            case ResourceLevel.Patient:
                AddCommon(json, resource);
                json["MainDicomTags"] = Tags(resource.MainTags, format);
                json["Studies"] = Ids(resource.ChildrenIds);
                break;
            case ResourceLevel.Study:
                AddCommon(json, resource);
                json["MainDicomTags"] = Tags(resource.MainTags.Where(t => !IsPatientTag(t.Key)), format);
                json["ParentPatient"] = resource.ParentId;
                // A study keeps the patient tags its first instance had (they may differ between studies).
                json["PatientMainDicomTags"] = Tags(resource.MainTags.Where(t => IsPatientTag(t.Key)), format);
                json["Series"] = Ids(resource.ChildrenIds);
                break;
            case ResourceLevel.Series:
                var expected = IntegerOf(metadata.GetValueOrDefault((int)MetadataType.ExpectedNumberOfInstances));
                json["ExpectedNumberOfInstances"] = expected;
                json["Instances"] = Ids(resource.ChildrenIds);
                AddCommon(json, resource);
                json["MainDicomTags"] = Tags(resource.MainTags, format);
                json["ParentStudy"] = resource.ParentId;
                json["Status"] = index.SeriesStatus(id);
                break;
            default:
                var file = index.GetDicomFile(id);
                json["FileSize"] = file?.UncompressedSize;
                json["FileUuid"] = file?.Uuid;
                json["IndexInSeries"] = IntegerOf(metadata.GetValueOrDefault((int)MetadataType.IndexInSeries));
                json["MainDicomTags"] = Tags(resource.MainTags, format);
                json["ParentSeries"] = resource.ParentId;
                break;
        }

        // Resources made by a modification or anonymization name their source, at every level.
        foreach (var type in new[] { MetadataType.AnonymizedFrom, MetadataType.ModifiedFrom })
        {
            if (metadata.TryGetValue((int)type, out var source))
                json[type.ToString()] = source;
        }

        json["Type"] = TypeOf(resource.Level);
        return Sorted(json);
    }

    private static void AddCommon(JsonObject json, ResourceInfo resource)
    {
        json["IsStable"] = resource.IsStable;
        json["LastUpdate"] = resource.Metadata.GetValueOrDefault((int)MetadataType.LastUpdate);
    }

    private static bool IsPatientTag(DicomTag tag) => MainDicomTags.Patient.Contains(tag);

    // Keyed by name (simplified) or by "gggg,eeee" (short, full), in key order as Orthanc lists them.
    private static JsonObject Tags(IEnumerable<KeyValuePair<DicomTag, string>> tags, OrthancTagFormat format)
    {
        var json = new JsonObject();
        var keyed = tags.Select(t => (t.Key, t.Value, Name: OrthancTagsConverter.Name(t.Key, NoOwner)))
            .Select(t => (t.Name, t.Value, Key: format == OrthancTagFormat.Simplified ? t.Name : t.Key.ToString()));
        foreach (var (name, value, key) in keyed.OrderBy(t => t.Key, StringComparer.Ordinal))
            json[key] = format == OrthancTagFormat.Full ? new JsonObject { ["Name"] = name, ["Type"] = "String", ["Value"] = value } : value;
        return json;
    }

    private static JsonArray Ids(IEnumerable<string> ids) => [.. ids.Select(id => (JsonNode)id)];

    private static int? IntegerOf(string? text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    // Orthanc's JSON objects list their keys in order; clients diffing answers see the same text.
    /// <summary>A level in any of Orthanc's spellings (Study, studies, IMAGE...), case aside; null when none.</summary>

    public static JsonObject Sorted(JsonObject json)
    {
        var sorted = new JsonObject();
        foreach (var (key, value) in json.OrderBy(p => p.Key, StringComparer.Ordinal).ToList())
        {
            json.Remove(key);
            sorted[key] = value;
        }

        return sorted;
    }
}
