using DicomScript.Scripting.Engine;
using DicomScript.Server.Scripting;

namespace DicomScript.Scripting;

/// <summary>IncomingHttpRequestFilter(method, uri, ip, username, headers) → true to serve, false for 403.</summary>
internal sealed class LuaHttpFilter(LuaEngine engine) : IHttpRequestFilter
{
    public const string Function = "IncomingHttpRequestFilter";

    public bool Allow(HttpRequestDescription request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return engine.Call(Function, lua =>
        {
            lua.PushString(request.Method);
            lua.PushString(request.Uri);
            lua.PushString(request.RemoteIp);
            lua.PushString(request.Username);
            lua.CreateTable(0, request.Headers.Count);
            foreach (var (name, value) in request.Headers)
            {
                lua.PushString(value);
                lua.SetField(-2, name);
            }

            return 5;
        }, LuaResults.Predicate(Function), whenUndefined: true);
    }
}
