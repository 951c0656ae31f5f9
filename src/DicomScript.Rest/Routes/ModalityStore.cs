using System.Text.Json;
using System.Text.Json.Nodes;
using DicomScript.Server;
using DicomScript.Server.Jobs;
using Microsoft.AspNetCore.Http;

namespace DicomScript.Rest.Routes;

/// <summary>
/// <c>POST /modalities/{name}/store</c> as Orthanc 1.10.1 takes it: the body is one resource ID
/// (bare or as a JSON string), an array of IDs, or <c>{Resources, LocalAet, MoveOriginatorAet,
/// MoveOriginatorID, Timeout, Permissive, Synchronous|Asynchronous, Priority}</c>. Every instance
/// below the resources goes in one DicomModalityStore job, synchronous by default.
/// </summary>
internal static class ModalityStore
{
    public static async Task<IResult> AnswerAsync(HttpContext context, DicomScriptServer archive, string name)
    {
        try
        {
            var text = await ReadTextAsync(context).ConfigureAwait(false);
            var (resources, options) = ParseResources(text);
            var instances = new List<string>();
            foreach (var resource in resources)
            {
                var summaries = archive.Index.InstanceSummariesOf(resource);
                if (summaries.Count == 0)
                    throw new RestRequestException(OrthancError.UnknownResource, "");
                instances.AddRange(summaries.Select(s => s.PublicId));
                if (archive.Configuration.LogExportedResources)
                    archive.Index.LogExport(resource, name);
            }

            var remote = archive.Configuration.DicomModalities.FirstOrDefault(m => m.Name == name)
                         ?? throw new RestRequestException(OrthancError.InexistentItem, $"No modality with symbolic name: {name}");
            var target = new StoreJobTarget(remote, JobRequests.LenientString(options, "LocalAet", archive.Configuration.DicomAet))
            {
                Timeout = JobRequests.UnsignedInteger(options, "Timeout"),
            };
            if (JobRequests.LenientInteger(options, "MoveOriginatorID", 0) is var moveId and not 0)
            {
                if (moveId is < 0 or > ushort.MaxValue)
                    throw new RestRequestException(OrthancError.ParameterOutOfRange, "");
                target = target with
                {
                    MoveOriginatorAet = JobRequests.LenientString(options, "MoveOriginatorAet", archive.Configuration.DicomAet),
                    MoveOriginatorId = (ushort)moveId,
                };
            }

            var permissive = JobRequests.Boolean(options, "Permissive", false);
            var job = new DicomModalityStoreJob(archive, target, instances, resources, permissive, "REST API");
            return await JobRequests.SubmitAsync(context, archive.Jobs, job, options, synchronousByDefault: true).ConfigureAwait(false);
        }
        catch (RestRequestException ex)
        {
            return OrthancResponses.Error(context, ex.Error, ex.Message.Length > 0 ? ex.Message : null);
        }
    }

    private static async Task<string> ReadTextAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        return await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
    }

    // The resources to send and the other fields of the body (empty unless it is an object).
    private static (List<string> Resources, JsonObject Options) ParseResources(string text)
    {
        if (OrthancIds.IsWellFormed(text))
            return ([text.Trim().Trim('\0')], []); // a bare ID, as Orthanc <= 0.5.1 took it
        JsonNode? request;
        try
        {
            request = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            throw new RestRequestException(OrthancError.BadFileFormat, "Must provide a JSON value");
        }

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
