using System.Runtime.InteropServices;
using KeraLua;

namespace DicomScript.Scripting.Engine;

/// <summary>
/// "file.lua:12" for a function on a Lua stack. The lua_Debug record is given to Lua as a native block
/// larger than the structure: a managed copy of it would be overrun by the private fields Lua writes
/// past the ones KeraLua declares.
/// </summary>
internal static class LuaPlace
{
    private const int DebugRecordSize = 1024;

    /// <summary>
    /// The place of the first function, from <paramref name="level"/> outwards, that runs Lua code and
    /// is not in <paramref name="skippedSource"/>; null when there is none.
    /// </summary>
    public static string? Find(Lua lua, int level, string? skippedSource = null)
    {
        var record = Marshal.AllocHGlobal(DebugRecordSize);
        try
        {
            for (; lua.GetStack(level, record) != 0; level++)
            {
                lua.GetInfo("Sl", record);
                var debug = LuaDebug.FromIntPtr(record);
                if (debug.CurrentLine > 0 && debug.ShortSource != skippedSource)
                    return $"{debug.ShortSource}:{debug.CurrentLine}";
            }

            return null;
        }
        finally
        {
            Marshal.FreeHGlobal(record);
        }
    }

    /// <summary>The place a hook was called for (<paramref name="record"/> is the hook's own lua_Debug).</summary>
    public static string OfHook(Lua lua, IntPtr record)
    {
        lua.GetInfo("Sl", record);
        var debug = LuaDebug.FromIntPtr(record);
        return $"{debug.ShortSource}:{debug.CurrentLine}";
    }
}
