using Microsoft.AspNetCore.Http;

namespace DicomScript.Rest;

/// <summary>
/// What Orthanc's HTTP server accepts beside plain requests, applied before anything else looks at
/// a request (the access rules and IncomingHttpRequestFilter see the result):
/// - empty path segments are ignored (<c>//tools//now/</c> is <c>/tools/now</c>): clients that join a
///   base URL ending in "/" with a URI starting with one send them;
/// - PUT and DELETE faked by clients that can only GET or POST: the <c>X-HTTP-Method-Override</c>
///   header (Google's way, on any request) or, on a GET, the <c>_method</c> argument (Ruby on
///   Rails' way); any other faked method is a bad request.
/// </summary>
internal static class OrthancRequestForms
{
    public static RequestDelegate Apply(RequestDelegate next) => context =>
    {
        var request = context.Request;
        string? faked = request.Headers["X-HTTP-Method-Override"].FirstOrDefault();
        if (faked is null && HttpMethods.IsGet(request.Method))
            faked = request.Query["_method"].FirstOrDefault();
        if (faked is not null)
        {
            if (faked.Equals("PUT", StringComparison.OrdinalIgnoreCase))
                request.Method = HttpMethods.Put;
            else if (faked.Equals("DELETE", StringComparison.OrdinalIgnoreCase))
                request.Method = HttpMethods.Delete;
            else
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return Task.CompletedTask;
            }
        }

        request.Path = WithoutEmptySegments(request.Path);
        return next(context);
    };

    /// <summary>The path with its empty segments left out ("/" stays "/").</summary>
    public static PathString WithoutEmptySegments(PathString path)
    {
        if (path.Value is not { Length: > 1 } value || !value.Contains("//", StringComparison.Ordinal) && !value.EndsWith('/'))
            return path; // "/", or no empty segment
        var segments = value.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return new PathString("/" + string.Join('/', segments));
    }
}
