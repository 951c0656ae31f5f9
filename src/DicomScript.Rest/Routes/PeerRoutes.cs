using System.Text.Json.Nodes;
using DicomScript.Server;
using DicomScript.Server.Configuration;
using DicomScript.Server.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DicomScript.Rest.Routes;

/// <summary>
/// The OrthancPeers as Orthanc 1.10.1 shows them: <c>GET /peers</c> (names; <c>?expand</c> for
/// each one's public parameters), <c>GET /peers/{name}</c> (its operations), <c>/configuration</c>,
/// <c>/system</c> (the peer's own <c>/system</c>, a connectivity test), and <c>POST /peers/{name}/store</c>
/// (the resources as <see cref="ExportRequest"/> reads them; options <c>Compress</c>, <c>Permissive</c>,
/// <c>Synchronous|Asynchronous</c>, <c>Priority</c>; an OrthancPeerStore job, synchronous by default),
/// <c>/store-straight</c> (see <see cref="StoreStraight"/>), and <c>PUT</c>/<c>DELETE /peers/{name}</c>
/// (kept in the index when OrthancPeersInDatabase).
/// </summary>
internal static class PeerRoutes
{
    private static readonly string[] Operations = ["configuration", "store", "store-straight", "system"];

    private static readonly HttpClient Http = new() { Timeout = Timeout.InfiniteTimeSpan };

    public static void Map(IEndpointRouteBuilder routes, DicomScriptServer archive)
    {
        routes.MapGet("/peers", (HttpContext context) =>
            OrthancResponses.NamedList(context, archive.Configuration.OrthancPeers, p => p.Name, p => ResourceJson.Sorted(p.ToPublicJson())));
        routes.MapGet("/peers/{name}", (string name) =>
            Find(archive, name) is null ? Results.NotFound() : OrthancResponses.Json(new JsonArray([.. Operations.Select(o => (JsonNode)o)])));
        routes.MapGet("/peers/{name}/configuration", (HttpContext context, string name) =>
            Find(archive, name) is { } peer ? OrthancResponses.Json(ResourceJson.Sorted(peer.ToPublicJson())) : UnknownPeer(context, name));
        routes.MapGet("/peers/{name}/system", (HttpContext context, string name) => SystemAsync(context, archive, name));
        routes.MapPut("/peers/{name}", (HttpContext context, string name) => RemoteEntryRequest.PutAsync(context, name, OrthancPeer.Parse, archive.SavePeer));
        routes.MapDelete("/peers/{name}", (HttpContext context, string name) => archive.DeletePeer(name)
            ? Results.Text("", "text/plain")
            : OrthancResponses.Error(context, OrthancError.InexistentItem, $"Unknown Orthanc peer: {name}"));
        routes.MapPost("/peers/{name}/store", (HttpContext context, string name) => StoreAsync(context, archive, name));
        routes.MapPost("/peers/{name}/store-straight", (HttpContext context, string name) => StoreStraight.ToPeerAsync(context, archive, name, Http));
    }

    private static OrthancPeer? Find(DicomScriptServer archive, string name) => archive.Configuration.PeerNamed(name);

    private static IResult UnknownPeer(HttpContext context, string name) => NoSuchPeer(name).Answer(context);

    private static RestRequestException NoSuchPeer(string name) => new(OrthancError.UnknownResource, $"No peer with symbolic name: {name}");

    private static async Task<IResult> SystemAsync(HttpContext context, DicomScriptServer archive, string name)
    {
        if (Find(archive, name) is not { } peer)
            return UnknownPeer(context, name);
        using var request = peer.CreateRequest(HttpMethod.Get, "system");
        try
        {
            var (status, body) = await peer.SendAsync(Http, request, archive.Configuration.HttpTimeout, context.RequestAborted).ConfigureAwait(false);
            // Orthanc answers 500 when the peer refuses (its error 2005); ours says why.
            return (int)status is >= 200 and < 300
                ? Results.Bytes(body, "application/json")
                : OrthancResponses.Error(context, OrthancError.NetworkProtocol, $"The peer {name} answered HTTP {(int)status} to GET {peer.BaseUrl}system");
        }
        catch (Exception ex) when (OrthancPeer.IsUnreachable(ex, context.RequestAborted))
        {
            return OrthancResponses.Error(context, OrthancError.NetworkProtocol, $"Cannot reach the peer {name} ({peer.BaseUrl}): {ex.Message}");
        }
    }

    private static async Task<IResult> StoreAsync(HttpContext context, DicomScriptServer archive, string name)
    {
        try
        {
            var (resources, instances, options) = await ExportRequest.ReadAsync(context, archive, name).ConfigureAwait(false);
            if (options.ContainsKey("Transcode"))
                throw new RestRequestException(OrthancError.NotImplemented, "Transcoding before sending to a peer is not supported yet");
            var compress = JobRequests.Boolean(options, "Compress", false);
            var peer = Find(archive, name) ?? throw NoSuchPeer(name);
            var permissive = JobRequests.Boolean(options, "Permissive", false);
            var job = new OrthancPeerStoreJob(archive, peer, compress, instances, resources, permissive, "REST API");
            return await JobRequests.SubmitAsync(context, archive.Jobs, job, options, synchronousByDefault: true).ConfigureAwait(false);
        }
        catch (RestRequestException ex)
        {
            return ex.Answer(context);
        }
    }
}
