using DicomScript.Scripting.Engine;
using DicomScript.Storage.Index;
using KeraLua;
using Microsoft.Extensions.Logging;

namespace DicomScript.Scripting.Functions;

/// <summary>
/// The functions that read or write the index itself: SetStableStatus and the key-value stores.
/// Wrong arguments or an unknown resource give nil and a log line, as in Orthanc.
/// </summary>
internal static class IndexFunctions
{
    public static void Register(LuaEngine engine, SqliteIndex index, ILogger logger)
    {
        engine.SetGlobal("SetStableStatus", lua => SetStableStatus(index, logger, lua));
        engine.SetGlobal("StoreKeyValue", lua => StoreKeyValue(index, logger, lua));
        engine.SetGlobal("GetKeyValue", lua => GetKeyValue(index, logger, lua));
        engine.SetGlobal("DeleteKeyValue", lua => DeleteKeyValue(index, logger, lua));
    }

    // SetStableStatus(id, isStable): true when the state changed, false when it already was so.
    private static int SetStableStatus(SqliteIndex index, ILogger logger, Lua lua)
    {
        if (lua.GetTop() != 2 || !lua.IsStringOrNumber(1) || lua.Type(2) != LuaType.Boolean)
            return BadArguments(logger, lua, "SetStableStatus");
        var id = lua.ToString(1, false)!;
        if (index.SetStable(id, lua.ToBoolean(2)) is not { } changed)
        {
            LuaArguments.LogCallFailed(logger, "SetStableStatus", id, "unknown resource");
            return LuaArguments.Nil(lua);
        }

        lua.PushBoolean(changed);
        return 1;
    }

    // StoreKeyValue(storeId, key, value): values are byte strings. Orthanc gives back its last
    // argument by accident; we give true (as truthy, and unambiguous).
    private static int StoreKeyValue(SqliteIndex index, ILogger logger, Lua lua)
    {
        if (!HasStrings(lua, 3))
            return BadArguments(logger, lua, "StoreKeyValue");
        index.StoreKeyValue(lua.ToString(1, false)!, lua.ToString(2, false)!, lua.ToBuffer(3, false)!);
        lua.PushBoolean(true);
        return 1;
    }

    // GetKeyValue(storeId, key): the value, nil when absent.
    private static int GetKeyValue(SqliteIndex index, ILogger logger, Lua lua)
    {
        if (!HasStrings(lua, 2))
            return BadArguments(logger, lua, "GetKeyValue");
        if (index.GetKeyValue(lua.ToString(1, false)!, lua.ToString(2, false)!) is { } value)
            lua.PushBuffer(value);
        else
            lua.PushNil();
        return 1;
    }

    // DeleteKeyValue(storeId, key): true, whether or not the key was there (Orthanc's result is
    // its last argument, truthy either way).
    private static int DeleteKeyValue(SqliteIndex index, ILogger logger, Lua lua)
    {
        if (!HasStrings(lua, 2))
            return BadArguments(logger, lua, "DeleteKeyValue");
        index.DeleteKeyValue(lua.ToString(1, false)!, lua.ToString(2, false)!);
        lua.PushBoolean(true);
        return 1;
    }

    private static bool HasStrings(Lua lua, int count)
    {
        if (lua.GetTop() != count)
            return false;
        for (var i = 1; i <= count; i++)
        {
            if (!lua.IsStringOrNumber(i))
                return false;
        }

        return true;
    }

    private static int BadArguments(ILogger logger, Lua lua, string function)
    {
        LuaArguments.LogBadArguments(logger, function);
        return LuaArguments.Nil(lua);
    }
}
