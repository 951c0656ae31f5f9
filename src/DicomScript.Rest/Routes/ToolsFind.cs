using System.Text.Json;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.Json;
using DicomScript.Server;
using DicomScript.Server.Services;
using DicomScript.Storage.Identifiers;
using DicomScript.Storage.Index;
using DicomScript.Storage.Search;
using Microsoft.AspNetCore.Http;

namespace DicomScript.Rest.Routes;

/// <summary>
/// <c>POST /tools/find</c>: <c>{Level, Query: {tag: pattern}, Expand, Limit, Since, CaseSensitive,
/// RequestedTags, Simplify|Short|Full}</c>. The search is C-FIND's (<see cref="ArchiveSearch"/>)
/// with REST matching: an empty pattern is no constraint, CaseSensitive (default false) applies to
/// every tag. Answers the IDs, oldest first, or with Expand the resources' objects; RequestedTags
/// (Orthanc 1.11) adds those tags' values to each object. Bad bodies get Orthanc's 400 answers.
/// </summary>
internal static class ToolsFind
{
    // Names of requested tags are public keywords: no private creator to look up.
    private static readonly DicomDataset NoOwner = new();

    public static async Task<IResult> AnswerAsync(HttpContext context, DicomScriptServer archive)
    {
        var request = await RequestBody.ReadObjectAsync(context).ConfigureAwait(false);
        if (request is null)
            return OrthancResponses.Error(context, OrthancError.BadRequest, "The body must contain a JSON object");
        if (ParseError(request) is { } error)
            return OrthancResponses.Error(context, OrthancError.BadRequest, error);
        var query = Parse(request);
        if (query.Level is not { } level)
            return OrthancResponses.Error(context, OrthancError.ParameterOutOfRange);
        if (query.Since < 0 || query.Limit < 0)
            return OrthancResponses.Error(context, OrthancError.ParameterOutOfRange, $"Field \"{(query.Since < 0 ? "Since" : "Limit")}\" should be a positive integer");

        var lookup = new DicomLookup();
        foreach (var (name, pattern) in query.Constraints)
        {
            if (!DicomDictionary.TryParseTag(name, out var tag))
                return OrthancResponses.Error(context, OrthancError.UnknownDicomTag, $"Unknown DICOM tag: \"{name}\"");
            if (pattern.Length == 0)
                continue; // a universal constraint, as in C-FIND
            try
            {
                lookup.AddRestConstraint(tag, pattern, query.CaseSensitive);
            }
            catch (ArgumentException ex)
            {
                return OrthancResponses.Error(context, OrthancError.BadRequest, ex.Message);
            }
        }

        var requestedTags = new List<DicomTag>();
        foreach (var name in query.RequestedTags)
        {
            if (!DicomDictionary.TryParseTag(name, out var tag))
                return OrthancResponses.Error(context, OrthancError.UnknownDicomTag, $"Unknown DICOM tag: \"{name}\"");
            requestedTags.Add(tag);
        }

        var search = new ArchiveSearch(archive.Index, id => archive.ReadDataset(id) is { } dataset ? t => OrthancTagsConverter.ValueOf(dataset, t) : _ => null);
        var (finder, matches) = search.Find(level, lookup, readBelow: requestedTags.Count > 0, readTags: requestedTags.Count > 0 ? null : []);
        IEnumerable<IndexedResource> page = matches;
        var configuredLimit = level == ResourceLevel.Instance ? archive.Configuration.LimitFindInstances : archive.Configuration.LimitFindResults;
        if (configuredLimit > 0)
            page = page.Take((int)configuredLimit);
        page = page.Skip(query.Since);
        if (query.Limit > 0)
            page = page.Take(query.Limit);

        if (!query.Expand)
            return OrthancResponses.Json(new JsonArray([.. page.Select(m => (JsonNode)m.PublicId)]));
        var shown = page.ToList();
        var byId = shown.ToDictionary(m => m.PublicId);
        var answers = new JsonArray();
        // The resources deleted meanwhile are left out.
        foreach (var described in ResourceJson.DescribeMany(archive.Index, [.. shown.Select(m => m.PublicId)], query.Format))
        {
            var json = described;
            if (requestedTags.Count > 0)
            {
                json["RequestedTags"] = RequestedValues(archive, finder, byId[(string)json["ID"]!], requestedTags, query.Format);
                json = ResourceJson.Sorted(json);
            }

            answers.Add(json);
        }

        return OrthancResponses.Json(answers);
    }

    private sealed record FindQuery(ResourceLevel? Level, List<(string Name, string Pattern)> Constraints, bool CaseSensitive, bool Expand,
        int Since, int Limit, List<string> RequestedTags, OrthancTagFormat Format);

    // A request ParseError found nothing wrong with.
    private static FindQuery Parse(JsonObject request)
    {
        var constraints = request["Query"]!.AsObject().Select(p => (p.Key, p.Value!.GetValue<string>())).ToList();
        var requested = request["RequestedTags"] is JsonArray array ? array.Select(t => t!.GetValue<string>()).ToList() : [];
        return new FindQuery(ResourceLevels.Parse(request["Level"]!.GetValue<string>()), constraints, IsTrue(request["CaseSensitive"]), IsTrue(request["Expand"]),
            IntegerOf(request["Since"]) ?? 0, IntegerOf(request["Limit"]) ?? 0, requested, FormatOf(request));
    }

    // What is wrong with the request's fields, in Orthanc's words; null when nothing.
    private static string? ParseError(JsonObject request)
    {
        if (request["Level"] is not JsonValue level || level.GetValueKind() != JsonValueKind.String)
            return "Field \"Level\" is missing, or should be a string";
        if (request["Query"] is not JsonObject query)
            return "Field \"Query\" is missing, or should be a JSON object";
        if (request.ContainsKey("CaseSensitive") && request["CaseSensitive"]?.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
            return "Field \"CaseSensitive\" should be a Boolean";
        foreach (var field in new[] { "Limit", "Since" })
        {
            if (request.ContainsKey(field) && IntegerOf(request[field]) is null)
                return $"Field \"{field}\" should be an integer";
        }

        if (query.FirstOrDefault(p => p.Value?.GetValueKind() != JsonValueKind.String) is { Key: { } badTag })
            return $"Tag \"{badTag}\" should be associated with a string";
        if (request.ContainsKey("RequestedTags") && (request["RequestedTags"] is not JsonArray tags || tags.Any(t => t?.GetValueKind() != JsonValueKind.String)))
            return "Field \"RequestedTags\" should be an array of strings";
        return null;
    }

    // Orthanc's level names: singular or plural, any case ("Image" is an instance).
    private static bool IsTrue(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.True => true,
        JsonValueKind.Number => node.GetValue<JsonElement>().GetDouble() != 0,
        _ => false,
    };

    private static int? IntegerOf(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.GetValue<JsonElement>().TryGetInt32(out var number) ? number : null;

    private static OrthancTagFormat FormatOf(JsonObject request) =>
        IsTrue(request["Simplify"]) ? OrthancTagFormat.Simplified
        : IsTrue(request["Short"]) ? OrthancTagFormat.Short
        : IsTrue(request["Full"]) ? OrthancTagFormat.Full
        : OrthancTagFormat.Simplified;

    /// <summary>The requested tags of a match: from the index when it keeps them, else from one of its instances' file.</summary>
    private static JsonObject RequestedValues(DicomScriptServer archive, ResourceFinder finder, IndexedResource match,
        List<DicomTag> tags, OrthancTagFormat format)
    {
        var mainTags = finder.MainTagsUpTo(match);
        DicomDataset? file = null;
        var nodes = new List<OrthancTagNode>();
        foreach (var tag in tags.Distinct().Order())
        {
            var value = mainTags(tag);
            if (value is null && (file ??= finder.SampleInstance(match) is { } sample ? archive.ReadDataset(sample.PublicId) : null) is { } dataset)
                value = OrthancTagsConverter.ValueOf(dataset, tag);
            nodes.Add(new OrthancTagNode(tag, OrthancTagsConverter.Name(tag, NoOwner), null,
                value is null ? OrthancValueType.Null : OrthancValueType.String, value, null));
        }

        return JsonNode.Parse(OrthancJsonWriter.ToUtf8(nodes, format))!.AsObject();
    }
}
