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
    /// <c>"name": {"AET": ..., "Host": ..., "Port": ..., "AllowStore": ...}</c>; the port may be a
    /// string. As in Orthanc, "AllowStorageCommitment" sets both AllowNAction and AllowEventReport,
    /// and the obsolete manufacturer names stand for the behaviour they had.
    /// </summary>
    public static DicomModality Parse(string name, JsonNode? node)
    {
        var where = $"DicomModalities.{name}";
        switch (node)
        {
            case JsonArray array when array.Count is 3 or 4:
                return new DicomModality(name, OrthancConfiguration.Text(array[0], where + "[0]"), OrthancConfiguration.Text(array[1], where + "[1]"), ParsePort(array[2], where))
                {
                    Manufacturer = array.Count == 4 ? ParseManufacturer(OrthancConfiguration.Text(array[3], where + "[3]"), where) : "Generic",
                };
            case JsonObject o:
                var fields = new EntryFields(where, o);
                var storageCommitment = fields.Has("AllowStorageCommitment") ? fields.Flag("AllowStorageCommitment", true) : (bool?)null;
                var aet = fields.String("AET");
                var host = fields.String("Host");
                if (!fields.Has("Port"))
                    throw fields.Invalid("Port is missing");
                return new DicomModality(name, aet, host, ParsePort(o["Port"], where))
                {
                    Manufacturer = fields.Has("Manufacturer") ? ParseManufacturer(fields.String("Manufacturer"), where) : "Generic",
                    AllowEcho = fields.Flag("AllowEcho", true),
                    AllowFind = fields.Flag("AllowFind", true),
                    AllowFindWorklist = fields.Flag("AllowFindWorklist", true),
                    AllowGet = fields.Flag("AllowGet", true),
                    AllowMove = fields.Flag("AllowMove", true),
                    AllowStore = fields.Flag("AllowStore", true),
                    AllowTranscoding = fields.Flag("AllowTranscoding", true),
                    AllowNAction = storageCommitment ?? fields.Flag("AllowNAction", true),
                    AllowEventReport = storageCommitment ?? fields.Flag("AllowEventReport", true),
                    UseDicomTls = fields.Flag("UseDicomTls", false),
                    LocalAet = fields.OptionalString("LocalAet"),
                    Timeout = fields.UnsignedInteger("Timeout"),
                };
            default:
                throw new ConfigurationException($"\"{where}\" must be [\"AET\", \"host\", port] or an object with AET, Host and Port");
        }
    }

    // Orthanc's manufacturers; the obsolete names map to the behaviour Orthanc gives them.
    private static string ParseManufacturer(string text, string where) => text switch
    {
        "Generic" or "GenericNoWildcardInDates" or "GenericNoUniversalWildcard" or "Vitrea" or "GE" => text,
        "AgfaImpax" or "SyngoVia" => "GenericNoWildcardInDates",
        "EFilm2" or "MedInria" or "ClearCanvas" or "Dcm4Chee" => "Generic",
        _ => throw new ConfigurationException($"\"{where}\": unknown manufacturer \"{text}\" (Generic, GenericNoWildcardInDates, GenericNoUniversalWildcard, Vitrea or GE)")
        {
            Error = OrthancError.ParameterOutOfRange,
            Details = $"Unknown modality manufacturer: \"{text}\"",
        },
    };

    // An integer or a string holding one, within 1..65534 as Orthanc wants it.
    private static int ParsePort(JsonNode? node, string where)
    {
        long port;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            if (!long.TryParse(v.GetValue<string>(), out port))
                throw new ConfigurationException($"\"{where}\": the port \"{v.GetValue<string>()}\" is not a number");
        }
        else if (node is JsonValue n && n.GetValueKind() == JsonValueKind.Number && n.TryGetValue(out long number))
        {
            port = number;
        }
        else
        {
            throw new ConfigurationException($"\"{where}\": the port must be an integer");
        }

        return port is > 0 and < 65535
            ? (int)port
            : throw new ConfigurationException($"\"{where}\": {port} is not a TCP port")
            {
                Error = OrthancError.ParameterOutOfRange,
                Details = $"A TCP port number must be in range [1..65534], but found: {port}",
            };
    }
}
