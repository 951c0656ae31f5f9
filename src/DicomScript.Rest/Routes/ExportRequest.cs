using System.Text.Json;
using System.Text.Json.Nodes;
using DicomScript.Server;
using Microsoft.AspNetCore.Http;

namespace DicomScript.Rest.Routes;

/// <summary>
/// The body of Orthanc's store-to-modality and store-to-peer requests: one resource ID (bare or
/// as a JSON string), an array of IDs, or an object with <c>Resources</c> and options. Reads it as
/// Orthanc 1.10.1 does (same refusals and messages), expands the resources to their instances and,
/// with LogExportedResources, logs each resource as exported to <c>remote</c> (as Orthanc does,
/// before it even looks the remote up).
/// </summary>
internal sealed record ExportRequest(List<string> ResourceIds, List<string> InstanceIds, JsonObject Options)
{
    public static async Task<ExportRequest> ReadAsync(HttpContext context, DicomScriptServer archive, string remote)
    {
        var (resources, options) = ParseResources(await RequestBody.ReadTextAsync(context).ConfigureAwait(false));
        var instances = new List<string>();
        foreach (var resource in resources)
        {
            var summaries = archive.Index.InstanceSummariesOf(resource);
            if (summaries.Count == 0)
                throw new RestRequestException(OrthancError.UnknownResource, "");
            instances.AddRange(summaries.Select(s => s.PublicId));
            if (archive.Configuration.LogExportedResources)
                archive.Index.LogExport(resource, remote);
        }

        return new ExportRequest(resources, instances, options);
    }

    // The resources to send and the other fields of the body (empty unless it is an object).
    private static (List<string> Resources, JsonObject Options) ParseResources(string text)
    {
        if (OrthancIds.IsWellFormed(text))
            return ([text.Trim().Trim('\0')], []); // a bare ID, as Orthanc <= 0.5.1 took it
        if (!RequestBody.TryParseJson(text, out var request))
            throw new RestRequestException(OrthancError.BadFileFormat, "Must provide a JSON value");

        JsonArray items;
        var options = new JsonObject();
        switch (request)
        {
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                items = [value.GetValue<string>()];
                break;
            case JsonArray array:
                items = array;
                break;
            case JsonObject body:
                if (!body.ContainsKey("Resources"))
                    throw new RestRequestException(OrthancError.BadFileFormat, "Missing field in JSON: \"Resources\"");
                items = body["Resources"] as JsonArray ?? throw new RestRequestException(OrthancError.BadFileFormat, "JSON field \"Resources\" must contain an array");
                options = body;
                break;
            default:
                throw new RestRequestException(OrthancError.BadFileFormat, "Must provide a JSON object, or a JSON array of strings");
        }

        var resources = new List<string>();
        foreach (var item in items)
        {
            if (item is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
                throw new RestRequestException(OrthancError.BadFileFormat, "Resources to be exported must be specified as a JSON array of strings");
            var id = value.GetValue<string>().Trim();
            if (!OrthancIds.IsWellFormed(id))
                throw new RestRequestException(OrthancError.BadFileFormat, $"This string is not a valid Orthanc identifier: {id}");
            resources.Add(id);
        }

        return (resources, options);
    }
}
