using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using KeraLua;

namespace DicomScript.Scripting.Engine;

/// <summary>
/// JSON ↔ Lua as Orthanc converts (ParseJson, DumpJson, callback arguments and results), with the
/// number trap fixed on the way in: JSON integers become Lua integers (Orthanc 1.12.1+), so
/// <c>42</c> prints as <c>42</c>, not <c>42.0</c>.
/// </summary>
internal static class LuaJson
{
    // Deeper than any real dataset or REST answer; stops a self-referencing table.
    private const int MaximumDepth = 100;

    /// <summary>Pushes <paramref name="node"/>: null → nil (so null members are absent), arrays → 1..n tables.</summary>
    public static void Push(Lua lua, JsonNode? node)
    {
        EnsureRoom(lua);
        switch (node)
        {
            case null:
                lua.PushNil();
                break;
            case JsonObject members:
                lua.CreateTable(0, members.Count);
                foreach (var (key, value) in members)
                {
                    if (value is null)
                        continue;
                    lua.PushString(key);
                    Push(lua, value);
                    lua.RawSet(-3);
                }

                break;
            case JsonArray items:
                lua.CreateTable(items.Count, 0);
                for (var i = 0; i < items.Count; i++)
                {
                    Push(lua, items[i]);
                    lua.RawSetInteger(-2, i + 1);
                }

                break;
            case JsonValue value:
                PushValue(lua, value);
                break;
        }
    }

    // Each level of a nested value takes stack slots, and a C function is given only 20: grow the
    // stack first, or Lua would write past its end.
    public static void EnsureRoom(Lua lua)
    {
        if (!lua.CheckStack(4))
            throw new InvalidDataException("the value is nested too deeply for the Lua stack");
    }

    private static void PushValue(Lua lua, JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                lua.PushString(value.GetValue<string>());
                break;
            case JsonValueKind.True:
                lua.PushBoolean(true);
                break;
            case JsonValueKind.False:
                lua.PushBoolean(false);
                break;
            case JsonValueKind.Number:
                var text = value.ToJsonString();
                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
                    lua.PushInteger(integer);
                else
                    lua.PushNumber(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
                break;
            default:
                lua.PushNil();
                break;
        }
    }

    /// <summary>
    /// The value at <paramref name="index"/> as JSON, by Orthanc's rules: a table is an array when its
    /// keys are exactly 1..n (so <c>{}</c> is <c>[]</c>), else an object with sorted string keys;
    /// functions and other non-data become null; without <paramref name="keepStrings"/> numeric
    /// strings become numbers, with it numbers become strings. Integral numbers are written as
    /// integers (all 64 bits, where Orthanc overflows past 32).
    /// </summary>
    public static JsonNode? Read(Lua lua, int index, bool keepStrings) => Read(lua, lua.AbsIndex(index), keepStrings, 0);

    private static JsonNode? Read(Lua lua, int index, bool keepStrings, int depth)
    {
        switch (lua.Type(index))
        {
            case LuaType.Boolean:
                return JsonValue.Create(lua.ToBoolean(index));
            case LuaType.Number:
                return keepStrings ? JsonValue.Create(NumberText(lua, index)) : Number(lua, index);
            case LuaType.String:
                return !keepStrings && lua.IsNumber(index) ? Number(lua, index) : JsonValue.Create(lua.ToString(index, false));
            case LuaType.Table:
                if (depth >= MaximumDepth)
                    throw new InvalidDataException($"a table nested deeper than {MaximumDepth} levels (does it contain itself?)");
                return ReadTable(lua, index, keepStrings, depth);
            default:
                return null;
        }
    }

    private static JsonNode ReadTable(Lua lua, int index, bool keepStrings, int depth)
    {
        EnsureRoom(lua);
        var entries = new List<(string Key, JsonNode? Value)>();
        lua.PushNil();
        while (lua.Next(index))
        {
            entries.Add((KeyText(lua, -2), Read(lua, lua.GetTop(), keepStrings, depth + 1)));
            lua.Pop(1);
        }

        if (IsSequence(entries))
            return new JsonArray([.. entries.OrderBy(e => int.Parse(e.Key, CultureInfo.InvariantCulture)).Select(e => e.Value)]);
        var members = new JsonObject();
        foreach (var (key, value) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
            members[key] = value;
        return members;
    }

    // Keys "1".."n" and nothing else (as Orthanc compares them: as text).
    private static bool IsSequence(List<(string Key, JsonNode? Value)> entries)
    {
        var seen = new bool[entries.Count + 1];
        foreach (var (key, _) in entries)
        {
            if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var position) || position < 1 || position > entries.Count
                || key[0] == '0' || seen[position])
                return false;
            seen[position] = true;
        }

        return true;
    }

    // A key as text (a key of another type by its type's name).
    private static string KeyText(Lua lua, int index) =>
        lua.Type(index) is LuaType.String or LuaType.Number ? NumberText(lua, index) : lua.TypeName(lua.Type(index));

    // A string or number as text, read from a copy: lua_tolstring turns a number into a string in
    // place, which would confuse lua_next when done on a key.
    private static string NumberText(Lua lua, int index)
    {
        lua.PushCopy(index);
        var text = lua.ToString(-1, false);
        lua.Pop(1);
        return text ?? "";
    }

    private static JsonValue? Number(Lua lua, int index)
    {
        if (lua.Type(index) == LuaType.Number && lua.IsInteger(index))
            return JsonValue.Create(lua.ToInteger(index));
        var value = lua.ToNumber(index);
        if (double.IsNaN(value) || double.IsInfinity(value))
            return null;
        if (Math.Abs(value - Math.Truncate(value)) <= double.Epsilon && Math.Abs(value) < 9.2e18)
            return JsonValue.Create((long)value);
        return JsonValue.Create(value);
    }
}
