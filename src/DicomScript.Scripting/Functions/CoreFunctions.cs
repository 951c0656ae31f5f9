using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using DicomScript.Scripting.Engine;
using DicomScript.Server.Configuration;
using KeraLua;
using Microsoft.Extensions.Logging;

namespace DicomScript.Scripting.Functions;

/// <summary>
/// The functions that need nothing of the archive: print's C# half, ParseJson, DumpJson and
/// GetOrthancConfiguration. Wrong arguments give nil, as in Orthanc.
/// </summary>
internal static partial class CoreFunctions
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Register(LuaEngine engine, LuaTableBuilder native, OrthancConfiguration configuration, ILogger logger)
    {
        native.Add("Print", lua => Print(engine, lua, logger));
        engine.SetGlobal("ParseJson", ParseJson);
        engine.SetGlobal("DumpJson", DumpJson);
        engine.SetGlobal("GetOrthancConfiguration", lua =>
        {
            LuaJson.Push(lua, configuration.Json);
            return 1;
        });
    }

    // native.Print(line), called by the toolbox's print: logs with the calling script's place.
    private static int Print(LuaEngine engine, Lua lua, ILogger logger)
    {
        var line = lua.ToString(1, false) ?? "";
        // The script line that printed: the first caller outside the toolbox (print, PrintRecursive).
        LogPrint(logger, LuaPlace.Find(lua, 1, LuaScripting.ToolboxName) ?? "Lua", line);
        engine.AppendOutput(line);
        return 0;
    }

    // Lenient as Orthanc's reader: comments and trailing commas pass.
    private static int ParseJson(Lua lua)
    {
        if (lua.GetTop() != 1 || !lua.IsStringOrNumber(1))
            return LuaArguments.Nil(lua);
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(lua.ToBuffer(1, false), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException)
        {
            return LuaArguments.Nil(lua);
        }

        LuaJson.Push(lua, parsed);
        return 1;
    }

    private static int DumpJson(Lua lua)
    {
        var count = lua.GetTop();
        if (count is not (1 or 2) || (count == 2 && lua.Type(2) != LuaType.Boolean))
            return LuaArguments.Nil(lua);
        var keepStrings = count == 2 && lua.ToBoolean(2);
        var json = LuaJson.Read(lua, 1, keepStrings);
        lua.PushString(json?.ToJsonString(Compact) ?? "null");
        return 1;
    }

    [LoggerMessage(2610, LogLevel.Warning, "Lua says ({Where}): {Line}")]
    private static partial void LogPrint(ILogger logger, string where, string line);
}
