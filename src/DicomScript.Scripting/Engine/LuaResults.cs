using DicomScript.Server;
using DicomScript.Server.Scripting;
using KeraLua;

namespace DicomScript.Scripting.Engine;

/// <summary>Readers of what a callback returned, with Orthanc's errors when it returned the wrong thing.</summary>
internal static class LuaResults
{
    /// <summary>A boolean, else NotLuaPredicate (Orthanc's 2034): nothing, nil or a number is not a predicate.</summary>
    public static Func<Lua, int, bool> Predicate(string function) => (lua, count) =>
    {
        if (count < 1 || lua.Type(-count) != LuaType.Boolean)
            throw new ScriptException(OrthancError.NotLuaPredicate, $"{function} must return true or false, not {(count < 1 ? "nothing" : lua.TypeName(lua.Type(-count)))}");
        return lua.ToBoolean(-count);
    };
}
