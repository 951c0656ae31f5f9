using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Json;
using DicomScript.Scripting.Engine;
using DicomScript.Server.Ingest;
using DicomScript.Storage.Identifiers;
using DicomScript.Storage.Index;
using KeraLua;

namespace DicomScript.Scripting.Events;

/// <summary>
/// The tables callbacks receive, shaped as Orthanc shapes them (reference §3.3): <c>tags</c> as
/// simplified tags (null values absent), <c>metadata</c> by name, <c>origin</c>, <c>info</c>.
/// </summary>
internal static class CallbackArguments
{
    private static readonly DicomDataset NoOwner = new();

    /// <summary>
    /// How many arguments the global function <paramref name="function"/> can see: its declared
    /// parameters, or any number when it takes <c>...</c> or is a C function (0 when it is not a
    /// function). Lua drops the others. The stack is left as it was.
    /// </summary>
    public static int VisibleArguments(Lua lua, string function)
    {
        if (lua.GetGlobal(function) != LuaType.Function)
        {
            lua.Pop(1);
            return 0;
        }

        var info = new LuaDebug();
        lua.GetInfo(">u", ref info); // pops the function
        return info.IsVarArg ? int.MaxValue : info.NumberParameters;
    }

    /// <summary>The dataset as Orthanc's simplified tags: name → string, sequences as arrays of tables; binary and long values absent.</summary>
    public static void PushTags(Lua lua, IReadOnlyList<OrthancTagNode> nodes)
    {
        LuaJson.EnsureRoom(lua);
        // When names repeat the highest tag wins, as in /simplified-tags.
        var byName = new Dictionary<string, OrthancTagNode>(nodes.Count, StringComparer.Ordinal);
        foreach (var node in nodes)
            byName[node.Name] = node;
        lua.CreateTable(0, byName.Count);
        foreach (var (name, node) in byName)
        {
            switch (node.Type)
            {
                case OrthancValueType.String:
                    lua.PushString(node.Value);
                    break;
                case OrthancValueType.Sequence:
                    lua.CreateTable(node.Items!.Count, 0);
                    for (var i = 0; i < node.Items.Count; i++)
                    {
                        PushTags(lua, node.Items[i]);
                        lua.RawSetInteger(-2, i + 1);
                    }

                    break;
                default:
                    continue;
            }

            lua.SetField(-2, name);
        }
    }

    /// <summary>A resource's main DICOM tags by name (a study's without the patient's, as Orthanc gives them).</summary>
    public static void PushMainTags(Lua lua, ResourceInfo resource)
    {
        lua.CreateTable(0, resource.MainTags.Count);
        foreach (var (tag, value) in resource.MainTags)
        {
            if (resource.Level == ResourceLevel.Study && MainDicomTags.Patient.Contains(tag))
                continue;
            lua.PushString(value);
            lua.SetField(-2, OrthancTagsConverter.Name(tag, NoOwner));
        }
    }

    /// <summary>Metadata by name (Orthanc's names, then UserMetadata), values as strings.</summary>
    public static void PushMetadata(Lua lua, IReadOnlyDictionary<int, string> metadata, MetadataNames names)
    {
        lua.CreateTable(0, metadata.Count);
        foreach (var (type, value) in metadata)
        {
            lua.PushString(value);
            lua.SetField(-2, names.NameOf(type));
        }
    }

    /// <summary>
    /// Orthanc's origin table: RequestOrigin, and RemoteIp, RemoteAet, CalledAet (DICOM) or
    /// RemoteIp, Username (REST); nothing more for Lua and others.
    /// </summary>
    public static void PushOrigin(Lua lua, InstanceOrigin origin)
    {
        lua.CreateTable(0, 4);
        Set(lua, "RequestOrigin", origin.RequestOrigin);
        switch (origin.RequestOrigin)
        {
            case InstanceOrigin.DicomProtocol:
                Set(lua, "RemoteIp", origin.RemoteIp ?? "");
                Set(lua, "RemoteAet", origin.RemoteAet ?? "");
                Set(lua, "CalledAet", origin.CalledAet ?? "");
                break;
            case InstanceOrigin.RestApi:
                Set(lua, "RemoteIp", origin.RemoteIp ?? "");
                Set(lua, "Username", origin.Username ?? "");
                break;
        }
    }

    /// <summary>The origin of a stored instance, rebuilt from its store-time metadata (so an event delivered after a restart has it too).</summary>
    public static InstanceOrigin OriginOf(IReadOnlyDictionary<int, string> metadata)
    {
        string? Get(MetadataType type) => metadata.TryGetValue((int)type, out var value) ? value : null;
        return new InstanceOrigin(Get(MetadataType.Origin) ?? "Unknown", Get(MetadataType.RemoteIP), Get(MetadataType.RemoteAET), Get(MetadataType.CalledAET),
            Get(MetadataType.HttpUsername));
    }

    /// <summary>The <c>info</c> of the receive filters: HasPixelData, TransferSyntaxUID.</summary>
    public static void PushInfo(Lua lua, DicomFile file)
    {
        lua.CreateTable(0, 2);
        lua.PushBoolean(file.Dataset.Contains(DicomTags.PixelData));
        lua.SetField(-2, "HasPixelData");
        Set(lua, "TransferSyntaxUID", file.TransferSyntax.Uid);
    }

    private static void Set(Lua lua, string key, string value)
    {
        lua.PushString(value);
        lua.SetField(-2, key);
    }
}
