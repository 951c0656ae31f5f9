using DicomScript.Server.Scripting;
using Microsoft.AspNetCore.Http;

namespace DicomScript.Rest.Security;

/// <summary>
/// IncomingHttpRequestFilter, after the access rules: for GET, POST, PUT and DELETE (other methods
/// pass, as in Orthanc) when a script defines the filter; false answers an empty 403, a failing or
/// non-boolean filter 500 with Orthanc's Lua error code. Without the filter no request waits on Lua.
/// </summary>
internal sealed class HttpRequestFiltering(ScriptHooks hooks)
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (hooks.HttpFilter is { } filter && context.Request.Method is "GET" or "POST" or "PUT" or "DELETE")
        {
            bool allowed;
            try
            {
                allowed = filter.Allow(Describe(context));
            }
            catch (ScriptException ex)
            {
                await OrthancResponses.Error(context, ex.Error, ex.Message).ExecuteAsync(context).ConfigureAwait(false);
                return;
            }

            if (!allowed)
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }
        }

        await next(context).ConfigureAwait(false);
    }

    private static HttpRequestDescription Describe(HttpContext context)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in context.Request.Headers)
            headers[name.ToLowerInvariant()] = values.ToString();
        return new HttpRequestDescription(context.Request.Method, context.Request.Path.Value ?? "/",
            context.Connection.RemoteIpAddress?.ToString() ?? "", context.Items[HttpSecurity.UsernameItem] as string ?? "", headers);
    }
}
