using KeraLua;

namespace DicomScript.Scripting.Engine;

/// <summary>
/// C# functions gathered into one Lua table (the toolbox's <c>native</c> argument), so the helpers
/// written in Lua can call them without them being globals a script could overwrite.
/// </summary>
internal sealed class LuaTableBuilder(LuaEngine engine)
{
    private readonly List<(string Name, LuaFunction Function)> _functions = [];

    public void Add(string name, Func<Lua, int> body) => _functions.Add((name, engine.Function(name, body)));

    /// <summary>Pushes the table; one argument for the chunk receiving it.</summary>
    public int Push(Lua lua)
    {
        lua.CreateTable(0, _functions.Count);
        foreach (var (name, function) in _functions)
        {
            lua.PushCFunction(function);
            lua.SetField(-2, name);
        }

        return 1;
    }
}
