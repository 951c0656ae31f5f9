using DicomScript.Scripting.Engine;
using DicomScript.Server.Scripting;
using KeraLua;
using Microsoft.Extensions.Logging;

namespace DicomScript.Scripting.Functions;

/// <summary>
/// RestApiGet/Post/Put/Delete: the REST API in process (no authentication, no
/// IncomingHttpRequestFilter). The answer body comes back byte for byte (DICOM files included) when
/// the status is 200, RestApiDelete gives true; anything else gives nil and a logged reason. The
/// Lua lock is given up during the call, so the route may run Lua itself (a nested execute-script,
/// a receive filter on an upload).
/// </summary>
internal static class RestApiFunctions
{
    public static void Register(LuaEngine engine, IRestApi restApi, ILogger logger)
    {
        engine.SetGlobal("RestApiGet", lua => Call(engine, restApi, logger, lua, "GET", "RestApiGet"));
        engine.SetGlobal("RestApiPost", lua => Call(engine, restApi, logger, lua, "POST", "RestApiPost"));
        engine.SetGlobal("RestApiPut", lua => Call(engine, restApi, logger, lua, "PUT", "RestApiPut"));
        engine.SetGlobal("RestApiDelete", lua => Call(engine, restApi, logger, lua, "DELETE", "RestApiDelete"));
    }

    // (uri [, builtin [, headers]]) for GET and DELETE, (uri, body [, builtin [, headers]]) for POST
    // and PUT. "builtin" chooses between Orthanc's own routes and those of its plugins: we have no
    // plugins, so it changes nothing.
    private static int Call(LuaEngine engine, IRestApi restApi, ILogger logger, Lua lua, string method, string function)
    {
        var hasBody = method is "POST" or "PUT";
        var required = hasBody ? 2 : 1;
        var count = lua.GetTop();
        if (count < required || count > required + 2 || !lua.IsStringOrNumber(1) || (hasBody && !lua.IsStringOrNumber(2))
            || !LuaArguments.AbsentOr(lua, required + 1, LuaType.Boolean) || !LuaArguments.AbsentOr(lua, required + 2, LuaType.Table))
        {
            LuaArguments.LogBadArguments(logger, function);
            return LuaArguments.Nil(lua);
        }

        var uri = lua.ToString(1, false) ?? "";
        var body = hasBody ? lua.ToBuffer(2, false) ?? [] : [];
        var headers = LuaArguments.Headers(lua, required + 2, lowerCaseNames: true);
        var request = new RestApiRequest(method, uri, body, headers);
        RestApiAnswer answer;
        try
        {
            answer = engine.WithoutLock(() => restApi.SendAsync(request, CancellationToken.None).GetAwaiter().GetResult());
        }
        catch (InvalidOperationException ex)
        {
            LuaArguments.LogCallFailed(logger, function, uri, ex.Message);
            return LuaArguments.Nil(lua);
        }

        if (answer.Status != 200)
        {
            LuaArguments.LogCallFailed(logger, function, uri, $"HTTP status {answer.Status}");
            return LuaArguments.Nil(lua);
        }

        if (method == "DELETE")
            lua.PushBoolean(true);
        else
            lua.PushBuffer(answer.Body);
        return 1;
    }
}
