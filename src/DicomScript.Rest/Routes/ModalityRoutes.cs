using System.Text.Json.Nodes;
using DicomScript.Server;
using DicomScript.Server.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DicomScript.Rest.Routes;

/// <summary>
/// The DicomModalities as Orthanc 1.10.1 shows them: <c>GET /modalities</c> (names; <c>?expand</c>
/// for each one's parameters), <c>GET /modalities/{name}</c> (its operations),
/// <c>/configuration</c>, <c>PUT</c> and <c>DELETE /modalities/{name}</c> (kept in the index when
/// DicomModalitiesInDatabase), <c>POST /modalities/{name}/echo</c> and <c>/tools/dicom-echo</c>
/// (see <see cref="ModalityEcho"/>), <c>/store</c> and <c>/store-straight</c>.
/// </summary>
internal static class ModalityRoutes
{
    // The sub-routes Orthanc 1.10.1 lists for a modality.
    private static readonly string[] Operations =
    [
        "configuration", "echo", "find", "find-instance", "find-patient", "find-series", "find-study", "find-worklist",
        "move", "query", "storage-commitment", "store", "store-straight",
    ];

    public static void Map(IEndpointRouteBuilder routes, DicomScriptServer archive)
    {
        routes.MapGet("/modalities", (HttpContext context) => OrthancResponses.NamedList(context, archive.Configuration.DicomModalities, m => m.Name, m => m.ToJson()));
        routes.MapGet("/modalities/{name}", (string name) =>
            Find(archive, name) is null ? Results.NotFound() : OrthancResponses.Json(new JsonArray([.. Operations.Select(o => (JsonNode)o)])));
        routes.MapPut("/modalities/{name}", (HttpContext context, string name) => RemoteEntryRequest.PutAsync(context, name, DicomModality.Parse, archive.SaveModality));
        routes.MapDelete("/modalities/{name}", (HttpContext context, string name) => archive.DeleteModality(name)
            ? Results.Text("", "text/plain")
            : OrthancResponses.Error(context, OrthancError.InexistentItem, $"Unknown DICOM modality with symbolic name: {name}"));
        routes.MapGet("/modalities/{name}/configuration", (HttpContext context, string name) =>
            Find(archive, name) is { } modality ? OrthancResponses.Json(modality.ToJson()) : UnknownModality(context, name));
        routes.MapPost("/modalities/{name}/echo", (HttpContext context, string name) => EchoAsync(context, archive, name));
        routes.MapPost("/tools/dicom-echo", (Func<HttpContext, Task<IResult>>)(context => EchoToolAsync(context, archive)));
        routes.MapPost("/modalities/{name}/store", (HttpContext context, string name) => ModalityStore.AnswerAsync(context, archive, name));
        routes.MapPost("/modalities/{name}/store-straight", (HttpContext context, string name) => StoreStraight.ToModalityAsync(context, archive, name));
    }

    private static DicomModality? Find(DicomScriptServer archive, string name) => archive.Configuration.ModalityNamed(name);

    /// <summary>The modality a route names; Orthanc's 404 (Inexistent item) when there is none.</summary>
    internal static DicomModality Require(DicomScriptServer archive, string name) => Find(archive, name) ?? throw NoSuchModality(name);

    private static IResult UnknownModality(HttpContext context, string name) => NoSuchModality(name).Answer(context);

    private static RestRequestException NoSuchModality(string name) => new(OrthancError.InexistentItem, $"No modality with symbolic name: {name}");

    // The body may be empty, {} or {"Timeout": ..., "CheckFind": ...}.
    private static async Task<IResult> EchoAsync(HttpContext context, DicomScriptServer archive, string name)
    {
        JsonNode? body = null;
        if (context.Request.ContentLength is not 0)
        {
            var text = await RequestBody.ReadTextAsync(context).ConfigureAwait(false);
            if (text.Length > 0 && !RequestBody.TryParseJson(text, out body))
                return OrthancResponses.Error(context, OrthancError.BadFileFormat, "Cannot parse the JSON body");
        }

        return Find(archive, name) is { } modality
            ? await ModalityEcho.AnswerAsync(context, archive, modality, body as JsonObject).ConfigureAwait(false)
            : UnknownModality(context, name);
    }

    // The body describes the modality as a DicomModalities entry does, with the echo's options beside.
    private static async Task<IResult> EchoToolAsync(HttpContext context, DicomScriptServer archive)
    {
        if (!RequestBody.TryParseJson(await RequestBody.ReadTextAsync(context).ConfigureAwait(false), out var body))
            return OrthancResponses.Error(context, OrthancError.BadFileFormat, "Cannot parse the JSON body");

        DicomModality modality;
        try
        {
            modality = DicomModality.Parse("dicom-echo", body);
        }
        catch (ConfigurationException ex)
        {
            return OrthancResponses.Error(context, ex.Error, ex.Details);
        }

        return await ModalityEcho.AnswerAsync(context, archive, modality, body as JsonObject).ConfigureAwait(false);
    }
}
