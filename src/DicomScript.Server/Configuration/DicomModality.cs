using System.Text.Json;
using System.Text.Json.Nodes;

namespace DicomScript.Server.Configuration;

/// <summary>An entry of DicomModalities, in either of Orthanc's forms.</summary>
public sealed record DicomModality(string Name, string AET, string Host, int Port)
{
    public string Manufacturer { get; init; } = "Generic";

    public bool AllowEcho { get; init; } = true;

    public bool AllowFind { get; init; } = true;

    public bool AllowFindWorklist { get; init; } = true;

    public bool AllowGet { get; init; } = true;

    public bool AllowMove { get; init; } = true;

    public bool AllowStore { get; init; } = true;

    public bool AllowStorageCommitment { get; init; } = true;

    public bool AllowTranscoding { get; init; } = true;

    public bool AllowNAction { get; init; } = true;

    /// <summary>Orthanc's key "AllowEventReport" (N-EVENT-REPORT).</summary>
    public bool AllowEventReport { get; init; } = true;

    /// <summary>Kept for the configuration's round trip; DICOM TLS is not supported yet.</summary>
    public bool UseDicomTls { get; init; }

    public string? LocalAet { get; init; }

    /// <summary>Seconds; 0 uses DicomScuTimeout.</summary>
    public int Timeout { get; init; }

    /// <summary>Orthanc's "advanced format" of a modality, keys in its order (<c>/modalities?expand</c>); <see cref="Parse"/> reads it back.</summary>
    public JsonObject ToJson() => new()
    {
        ["AET"] = AET,
        ["AllowEcho"] = AllowEcho,
        ["AllowEventReport"] = AllowEventReport,
        ["AllowFind"] = AllowFind,
        ["AllowFindWorklist"] = AllowFindWorklist,
        ["AllowGet"] = AllowGet,
        ["AllowMove"] = AllowMove,
        ["AllowNAction"] = AllowNAction,
        ["AllowStore"] = AllowStore,
        ["AllowTranscoding"] = AllowTranscoding,
        ["Host"] = Host,
        ["LocalAet"] = LocalAet ?? "",
        ["Manufacturer"] = Manufacturer,
        ["Port"] = Port,
        ["Timeout"] = Timeout,
        ["UseDicomTls"] = UseDicomTls,
    };

    /// <summary>
    /// <c>"name": ["AET", "host", port(, "manufacturer")]</c> or
    /// <c>"name": {"AET": ..., "Host": ..., "Port": ..., "AllowStore": ...}</c>; the port may be a string.
    /// </summary>
    public static DicomModality Parse(string name, JsonNode? node)
    {
        var where = $"DicomModalities.{name}";
        switch (node)
        {
            case JsonArray array when array.Count is 3 or 4:
                return new DicomModality(name, OrthancConfiguration.Text(array[0], where + "[0]"), OrthancConfiguration.Text(array[1], where + "[1]"), ParsePort(array[2], where + "[2]"))
                {
                    Manufacturer = array.Count == 4 ? OrthancConfiguration.Text(array[3], where + "[3]") : "Generic",
                };
            case JsonObject o:
                bool Flag(string key, bool fallback = true) => o[key] switch
                {
                    null => fallback,
                    JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
                    _ => throw OrthancConfiguration.WrongType($"{where}.{key}", "true or false"),
                };
                return new DicomModality(name, OrthancConfiguration.Text(o["AET"], where + ".AET"), OrthancConfiguration.Text(o["Host"], where + ".Host"), ParsePort(o["Port"], where + ".Port"))
                {
                    Manufacturer = o["Manufacturer"] is null ? "Generic" : OrthancConfiguration.Text(o["Manufacturer"], where + ".Manufacturer"),
                    AllowEcho = Flag("AllowEcho"),
                    AllowFind = Flag("AllowFind"),
                    AllowFindWorklist = Flag("AllowFindWorklist"),
                    AllowGet = Flag("AllowGet"),
                    AllowMove = Flag("AllowMove"),
                    AllowStore = Flag("AllowStore"),
                    AllowStorageCommitment = Flag("AllowStorageCommitment"),
                    AllowTranscoding = Flag("AllowTranscoding"),
                    AllowNAction = Flag("AllowNAction"),
                    AllowEventReport = Flag("AllowEventReport"),
                    UseDicomTls = Flag("UseDicomTls", fallback: false),
                    LocalAet = o["LocalAet"] is null ? null : OrthancConfiguration.Text(o["LocalAet"], where + ".LocalAet"),
                    Timeout = o["Timeout"] is null ? 0 : (int)OrthancConfiguration.Number(o["Timeout"], where + ".Timeout"),
                };
            default:
                throw new ConfigurationException($"\"{where}\" must be [\"AET\", \"host\", port] or an object with AET, Host and Port");
        }
    }

    private static int ParsePort(JsonNode? node, string where)
    {
        var port = node is JsonValue v && v.GetValueKind() == JsonValueKind.String && long.TryParse(v.GetValue<string>(), out var parsed)
            ? parsed
            : OrthancConfiguration.Number(node, where);
        return port is > 0 and <= 65535 ? (int)port : throw new ConfigurationException($"\"{where}\": {port} is not a TCP port");
    }
}
