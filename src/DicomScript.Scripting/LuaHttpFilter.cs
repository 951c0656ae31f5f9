using DicomScript.Scripting.Engine;
using DicomScript.Scripting.Events;
using DicomScript.Server.Scripting;

namespace DicomScript.Scripting;

/// <summary>IncomingHttpRequestFilter(method, uri, ip, username, headers) → true to serve, false for 403.</summary>
internal sealed class LuaHttpFilter(LuaEngine engine) : IHttpRequestFilter
{
    public bool Allow(HttpRequestDescription request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return engine.Call(DefinedCallbacks.IncomingHttpRequestFilter, lua =>
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
        }, LuaResults.Predicate(DefinedCallbacks.IncomingHttpRequestFilter), whenUndefined: true);
    }
}
