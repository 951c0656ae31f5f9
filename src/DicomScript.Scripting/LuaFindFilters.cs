using System.Text.Json;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Scripting.Engine;
using DicomScript.Scripting.Events;
using DicomScript.Server;
using DicomScript.Server.Scripting;
using KeraLua;

namespace DicomScript.Scripting;

/// <summary>
/// IncomingFindRequestFilter(query, origin) and OutgoingFindRequestFilter(query, remoteAet), with
/// Orthanc's shapes: the query is a flat table "gggg,eeee" → string, and the filter returns the
/// query to use instead: a table of strings (numbers are taken as text) keyed by "gggg,eeee" or
/// tag name; an empty table is an empty query; anything else is Orthanc's LuaBadOutput.
/// </summary>
internal sealed class LuaFindFilters(LuaEngine engine) : IIncomingFindFilter, IOutgoingFindFilter
{
    public IReadOnlyList<(DicomTag Tag, string Value)> Filter(IReadOnlyList<(DicomTag Tag, string Value)> query, FindRequestOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        return Run(DefinedCallbacks.IncomingFindRequestFilter, query, lua =>
        {
            lua.CreateTable(0, 4);
            SetField(lua, "RemoteIp", origin.RemoteIp);
            SetField(lua, "RemoteAet", origin.RemoteAet);
            SetField(lua, "CalledAet", origin.CalledAet);
            SetField(lua, "Manufacturer", origin.Manufacturer);
        });
    }

    public IReadOnlyList<(DicomTag Tag, string Value)> Filter(IReadOnlyList<(DicomTag Tag, string Value)> query, string remoteAet) =>
        Run(DefinedCallbacks.OutgoingFindRequestFilter, query, lua => lua.PushString(remoteAet));

    private IReadOnlyList<(DicomTag Tag, string Value)> Run(string callback, IReadOnlyList<(DicomTag Tag, string Value)> query, Action<Lua> pushSecond)
    {
        ArgumentNullException.ThrowIfNull(query);
        return engine.Call(callback, lua =>
        {
            lua.CreateTable(0, query.Count);
            foreach (var (tag, value) in query)
                SetField(lua, tag.ToString(), value);
            pushSecond(lua);
            return 2;
        }, (lua, count) => ReadQuery(lua, count, callback), whenUndefined: query);
    }

    private static void SetField(Lua lua, string name, string value)
    {
        lua.PushString(value);
        lua.SetField(-2, name);
    }

    private static List<(DicomTag Tag, string Value)> ReadQuery(Lua lua, int count, string callback)
    {
        var returned = count < 1 ? null : LuaJson.Read(lua, -count, keepStrings: true);
        if (returned is JsonArray { Count: 0 })
            return []; // an empty table
        if (returned is not JsonObject table)
            throw BadOutput(callback, "must return a table");
        var keys = new List<(DicomTag Tag, string Value)>(table.Count);
        foreach (var (name, value) in table)
        {
            if (value is not JsonValue text || text.GetValueKind() != JsonValueKind.String)
                throw BadOutput(callback, "must return a table mapping names of DICOM tags to strings");
            if (!DicomDictionary.TryParseTag(name, out var tag))
                throw BadOutput(callback, $"returned an unknown DICOM tag: {name}");
            keys.Add((tag, text.GetValue<string>()));
        }

        keys.Sort((a, b) => a.Tag.CompareTo(b.Tag));
        return keys;
    }

    private static ScriptException BadOutput(string callback, string what) => new(OrthancError.LuaBadOutput, $"{callback} {what}");
}
