using System.Text.Json;
using System.Text.Json.Nodes;

namespace DicomScript.Server.Configuration;

/// <summary>
/// The fields of one DicomModalities or OrthancPeers entry in its object form. A field of the wrong
/// type is a <see cref="ConfigurationException"/> naming the full key for a configuration file
/// (<c>"DicomModalities.pacs.Port" must be ...</c>) and carrying Orthanc's words for a request body
/// (<c>Boolean value expected in field: AllowEcho</c>).
/// </summary>
internal readonly struct EntryFields(string where, JsonObject json)
{
    public JsonObject Json { get; } = json;

    public bool Has(string key) => Json.ContainsKey(key);

    /// <summary>A string; <paramref name="orthancNamesField"/> false where Orthanc's refusal gives no Details (a peer's fields).</summary>
    public string String(string key, bool orthancNamesField = true) =>
        Json[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw WrongType(key, "a string", orthancNamesField ? "String value" : null);

    public string? OptionalString(string key, bool orthancNamesField = true) => Has(key) ? String(key, orthancNamesField) : null;

    public bool Flag(string key, bool fallback) => Json[key] switch
    {
        null when !Has(key) => fallback,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        _ => throw WrongType(key, "true or false", "Boolean value"),
    };

    /// <summary>A count of seconds and such; 0 when absent.</summary>
    public int UnsignedInteger(string key) => Json[key] switch
    {
        null when !Has(key) => 0,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var n) && n >= 0 => n,
        _ => throw WrongType(key, "an integer ≥ 0", "Unsigned integer value"),
    };

    /// <summary>The entry is unusable: <paramref name="reason"/> for a file, <paramref name="details"/> (Orthanc's, if any) for a request.</summary>
    public ConfigurationException Invalid(string reason, string? details = null, OrthancError error = OrthancError.BadFileFormat) =>
        new($"\"{where}\": {reason}") { Details = details, Error = error };

    private ConfigurationException WrongType(string key, string expected, string? orthancKind) =>
        new($"\"{where}.{key}\" must be {expected}") { Details = orthancKind is null ? null : $"{orthancKind} expected in field: {key}" };
}
