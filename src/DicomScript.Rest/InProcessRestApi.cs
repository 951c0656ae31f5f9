using DicomScript.Server.Scripting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace DicomScript.Rest;

/// <summary>
/// The REST routes called without a socket (Lua's RestApiGet and friends): the request goes through
/// the same routing and endpoints as one from the network, but after the access rules and
/// IncomingHttpRequestFilter, as in Orthanc (no authentication, no filter; what it stores has origin
/// "Lua"). Usable once the server has started (the pipeline is built then).
/// </summary>
internal sealed class InProcessRestApi(IServiceProvider services) : IRestApi
{
    /// <summary>Marks a context made here, so the routes record origin Lua (see <see cref="RequestOrigins"/>).</summary>
    public const string Item = "DicomScript.InProcess";

    private RequestDelegate? _routes;

    /// <summary>Middleware that remembers the rest of the pipeline (routing and endpoints) and lets requests through.</summary>
    public RequestDelegate Capture(RequestDelegate next)
    {
        _routes = next;
        return next;
    }

    public async Task<RestApiAnswer> SendAsync(RestApiRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var routes = _routes ?? throw new InvalidOperationException("The REST API has not started");
        await using var scope = services.CreateAsyncScope();
        using var responseBody = new MemoryStream();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider, RequestAborted = cancellationToken };
        var (path, query) = SplitUri(request.Uri);
        context.Request.Method = request.Method;
        context.Request.Scheme = "http";
        context.Request.Path = OrthancRequestForms.WithoutEmptySegments(PathString.FromUriComponent(path));
        context.Request.QueryString = new QueryString(query);
        context.Request.Body = new MemoryStream(request.Body, writable: false);
        context.Request.ContentLength = request.Body.Length;
        foreach (var (name, value) in request.Headers)
            context.Request.Headers[name] = value;
        context.Response.Body = responseBody;
        context.Items[Item] = true;
        await routes(context).ConfigureAwait(false);
        await context.Response.CompleteAsync().ConfigureAwait(false);
        return new RestApiAnswer(context.Response.StatusCode, responseBody.ToArray());
    }

    // "/tools/find?x=1" → ("/tools/find", "?x=1"); a URI without a leading slash gets one, as Orthanc
    // accepts "instances" as well as "/instances".
    private static (string Path, string Query) SplitUri(string uri)
    {
        var mark = uri.IndexOf('?', StringComparison.Ordinal);
        var path = mark < 0 ? uri : uri[..mark];
        var query = mark < 0 ? "" : uri[mark..];
        return (path.StartsWith('/') ? path : "/" + path, query.Length > 1 ? query : "");
    }
}
