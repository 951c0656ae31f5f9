using System.Text.Json.Nodes;
using DicomScript.Scripting.Engine;
using KeraLua;
using Microsoft.Extensions.Logging;

namespace DicomScript.Scripting.Functions;

/// <summary>Reading and checking the arguments of a C# function called from Lua.</summary>
internal static partial class LuaArguments
{
    /// <summary>True when the argument at <paramref name="index"/> is absent (beyond the count) or has the given type.</summary>
    public static bool AbsentOr(Lua lua, int index, LuaType type) => index > lua.GetTop() || lua.Type(index) == type;

    /// <summary>
    /// A table of HTTP headers as name → value (values through keepStrings, so numbers stay as
    /// written); <paramref name="lowerCaseNames"/> as RestApi* want them. Empty when absent.
    /// </summary>
    public static Dictionary<string, string> Headers(Lua lua, int index, bool lowerCaseNames)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        if (index > lua.GetTop() || LuaJson.Read(lua, index, keepStrings: true) is not JsonObject table)
            return headers;
        foreach (var (name, value) in table)
            headers[lowerCaseNames ? name.ToLowerInvariant() : name] = value is JsonValue text ? text.ToString() : value?.ToJsonString() ?? "";
        return headers;
    }

    /// <summary>Pushes nil and returns 1: what a function returns on failure.</summary>
    public static int Nil(Lua lua)
    {
        lua.PushNil();
        return 1;
    }

    /// <summary>Logs a call with arguments of the wrong count or type (the function then gives nil, as Orthanc's).</summary>
    [LoggerMessage(2630, LogLevel.Error, "Lua: bad arguments to {Function}()")]
    public static partial void LogBadArguments(ILogger logger, string function);

    /// <summary>Logs a call that could not be carried out (unreachable server, error status...).</summary>
    [LoggerMessage(2631, LogLevel.Error, "Lua: error in {Function}() for {Target}: {Reason}")]
    public static partial void LogCallFailed(ILogger logger, string function, string target, string reason);
}
