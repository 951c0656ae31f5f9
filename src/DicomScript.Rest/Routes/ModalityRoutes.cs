using System.Text.Json;
using System.Text.Json.Nodes;
using DicomScript.Network;
using DicomScript.Network.Dimse;
using DicomScript.Server;
using DicomScript.Server.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DicomScript.Rest.Routes;

/// <summary>
/// The DicomModalities as Orthanc 1.10.1 shows them: <c>GET /modalities</c> (names; <c>?expand</c>
/// for each one's parameters), <c>GET /modalities/{name}</c> (its operations),
/// <c>/configuration</c>, and <c>POST /modalities/{name}/echo</c> (a C-ECHO; body empty, <c>{}</c>
/// or <c>{"Timeout": seconds}</c>; <c>{}</c> when it succeeds, HTTP 500 when it does not).
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
        routes.MapGet("/modalities/{name}/configuration", (HttpContext context, string name) =>
            Find(archive, name) is { } modality ? OrthancResponses.Json(modality.ToJson()) : UnknownModality(context, name));
        routes.MapPost("/modalities/{name}/echo", (HttpContext context, string name) => EchoAsync(context, archive, name));
        routes.MapPost("/modalities/{name}/store", (HttpContext context, string name) => ModalityStore.AnswerAsync(context, archive, name));
    }

    private static DicomModality? Find(DicomScriptServer archive, string name) => archive.Configuration.ModalityNamed(name);

    /// <summary>The modality a route names; Orthanc's 404 (Inexistent item) when there is none.</summary>
    internal static DicomModality Require(DicomScriptServer archive, string name) => Find(archive, name) ?? throw NoSuchModality(name);

    private static IResult UnknownModality(HttpContext context, string name) => NoSuchModality(name).Answer(context);

    private static RestRequestException NoSuchModality(string name) => new(OrthancError.InexistentItem, $"No modality with symbolic name: {name}");

    private static async Task<IResult> EchoAsync(HttpContext context, DicomScriptServer archive, string name)
    {
        JsonNode? body = null;
        if (context.Request.ContentLength is not 0)
        {
            var text = await RequestBody.ReadTextAsync(context).ConfigureAwait(false);
            try
            {
                body = text.Length == 0 ? null : JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                return OrthancResponses.Error(context, OrthancError.BadFileFormat, "Cannot parse the JSON body");
            }
        }

        if (Find(archive, name) is not { } modality)
            return UnknownModality(context, name);
        int? timeout = null;
        if (body is JsonObject options && options["Timeout"] is { } value)
        {
            if (value.GetValueKind() != JsonValueKind.Number || !value.GetValue<JsonElement>().TryGetInt32(out var seconds) || seconds < 0)
                return OrthancResponses.Error(context, OrthancError.BadFileFormat, "The field \"Timeout\" must be an unsigned integer");
            timeout = seconds;
        }

        try
        {
            var status = await archive.ClientFor(modality, timeout).EchoAsync(context.RequestAborted).ConfigureAwait(false);
            return status == DimseStatus.Success ? Results.Text("{}", "application/json") : Results.StatusCode(StatusCodes.Status500InternalServerError);
        }
        catch (Exception ex) when (ex is DicomNetworkException or IOException or System.Net.Sockets.SocketException or TimeoutException or OperationCanceledException)
        {
            return OrthancResponses.Error(context, OrthancError.NetworkProtocol, $"DicomAssociation - connecting to AET \"{modality.AET}\": {ex.Message}");
        }
    }
}
