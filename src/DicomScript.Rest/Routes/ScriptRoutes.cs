using DicomScript.Server;
using DicomScript.Server.Scripting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace DicomScript.Rest.Routes;

/// <summary>
/// <c>POST /tools/execute-script</c>: the body runs as a Lua chunk in the server's Lua state and the
/// answer is what it printed. Refused with an empty 403 unless ExecuteLuaEnabled; a failing chunk
/// answers 500 with Orthanc's error body (CannotExecuteLua, the Lua message in Details).
/// </summary>
internal static partial class ScriptRoutes
{
    public static void Map(IEndpointRouteBuilder routes, DicomScriptServer archive, ILogger logger)
    {
        routes.MapPost("/tools/execute-script", (Func<HttpContext, Task<IResult>>)(async context =>
        {
            if (!archive.Configuration.ExecuteLuaEnabled)
            {
                LogDisallowed(logger);
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }

            var code = await RequestBody.ReadBytesAsync(context).ConfigureAwait(false);
            if (archive.Hooks.Console is not { } console)
                return OrthancResponses.Error(context, OrthancError.CannotExecuteLua, "The Lua engine is not running");
            try
            {
                return Results.Text(console.Execute(code), "text/plain");
            }
            catch (ScriptException ex)
            {
                return OrthancResponses.Error(context, ex.Error, ex.Message);
            }
        }));
    }

    [LoggerMessage(3010, LogLevel.Error, "The URI /tools/execute-script is disallowed for security, check your configuration file (ExecuteLuaEnabled)")]
    private static partial void LogDisallowed(ILogger logger);
}
