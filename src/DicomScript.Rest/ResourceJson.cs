using System.Globalization;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Json;
using DicomScript.Storage.Identifiers;
using DicomScript.Storage.Index;

namespace DicomScript.Rest;

/// <summary>The JSON of a resource as Orthanc 1.10.1's <c>GET /{level}/{id}</c> shows it.</summary>
internal static class ResourceJson
{
    private static readonly DicomDataset NoOwner = new();

    public static string PluralOf(ResourceLevel level) => level switch
    {
        ResourceLevel.Patient => "patients",
        ResourceLevel.Study => "studies",
        ResourceLevel.Series => "series",
        _ => "instances",
    };

    public static string TypeOf(ResourceLevel level) => level.ToString();

    public static string PathOf(ResourceLevel level, string id) => $"/{PluralOf(level)}/{id}";

    /// <summary>The resource's object; null when it is unknown.</summary>
    public static JsonObject? Describe(SqliteIndex index, string id)
    {
        var resource = index.Get(id);
        if (resource is null)
            return null;
        var json = new JsonObject { ["ID"] = id };
        var metadata = resource.Metadata;
        switch (resource.Level)
        {
            case ResourceLevel.Patient:
                AddCommon(json, index, resource);
                json["MainDicomTags"] = Tags(resource.MainTags);
                json["Studies"] = Ids(resource.ChildrenIds);
                break;
            case ResourceLevel.Study:
                AddCommon(json, index, resource);
                json["MainDicomTags"] = Tags(resource.MainTags.Where(t => !IsPatientTag(t.Key)));
                json["ParentPatient"] = resource.ParentId;
                // A study keeps the patient tags its first instance had (they may differ between studies).
                json["PatientMainDicomTags"] = Tags(resource.MainTags.Where(t => IsPatientTag(t.Key)));
                json["Series"] = Ids(resource.ChildrenIds);
                break;
            case ResourceLevel.Series:
                var expected = IntegerOf(metadata.GetValueOrDefault((int)MetadataType.ExpectedNumberOfInstances));
                json["ExpectedNumberOfInstances"] = expected;
                json["Instances"] = Ids(resource.ChildrenIds);
                AddCommon(json, index, resource);
                json["MainDicomTags"] = Tags(resource.MainTags);
                json["ParentStudy"] = resource.ParentId;
                json["Status"] = index.SeriesStatus(id);
                break;
            default:
                var file = index.GetDicomFile(id);
                json["FileSize"] = file?.UncompressedSize;
                json["FileUuid"] = file?.Uuid;
                json["IndexInSeries"] = IntegerOf(metadata.GetValueOrDefault((int)MetadataType.IndexInSeries));
                json["MainDicomTags"] = Tags(resource.MainTags);
                json["ParentSeries"] = resource.ParentId;
                break;
        }

        json["Type"] = TypeOf(resource.Level);
        return Sorted(json);
    }

    private static void AddCommon(JsonObject json, SqliteIndex index, ResourceInfo resource)
    {
        json["IsStable"] = index.IsStable(resource.PublicId);
        json["LastUpdate"] = resource.Metadata.GetValueOrDefault((int)MetadataType.LastUpdate);
    }

    private static bool IsPatientTag(DicomTag tag) => MainDicomTags.Patient.Contains(tag);

    private static JsonObject Tags(IEnumerable<KeyValuePair<DicomTag, string>> tags)
    {
        var json = new JsonObject();
        foreach (var (tag, value) in tags.OrderBy(t => OrthancTagsConverter.Name(t.Key, NoOwner), StringComparer.Ordinal))
            json[OrthancTagsConverter.Name(tag, NoOwner)] = value;
        return json;
    }

    private static JsonArray Ids(IEnumerable<string> ids) => [.. ids.Select(id => (JsonNode)id)];

    private static int? IntegerOf(string? text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    // Orthanc's JSON objects list their keys in order; clients diffing answers see the same text.
    private static JsonObject Sorted(JsonObject json)
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
