using System.Text.Json;
using System.Text.Json.Nodes;

namespace DicomScript.Server.Jobs;

/// <summary>Reading and writing the saved form of jobs; a missing or mistyped field is a <see cref="FormatException"/>.</summary>
internal static class JobJson
{
    public static string String(JsonObject json, string key) =>
        json[key] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : throw Missing(key, "a string");

    public static string? OptionalString(JsonObject json, string key) => json[key] is null ? null : String(json, key);

    public static bool Boolean(JsonObject json, string key) =>
        json[key] is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? value.GetValue<bool>() : throw Missing(key, "a boolean");

    public static int Integer(JsonObject json, string key) =>
        json[key] is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var number) ? number : throw Missing(key, "an integer");

    public static int? OptionalInteger(JsonObject json, string key) => json[key] is null ? null : Integer(json, key);

    public static long Long(JsonObject json, string key) =>
        json[key] is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out var number) ? number : throw Missing(key, "an integer");

    public static JsonObject Object(JsonObject json, string key) => json[key] as JsonObject ?? throw Missing(key, "an object");

    public static JsonArray Items(JsonObject json, string key) => json[key] as JsonArray ?? throw Missing(key, "an array");

    public static List<string> Strings(JsonObject json, string key)
    {
        if (json[key] is not JsonArray array)
            throw Missing(key, "an array");
        return [.. array.Select(item => item is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : throw Missing(key, "an array of strings"))];
    }

    public static JsonArray Array(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);

    private static FormatException Missing(string key, string what) => new($"saved job: \"{key}\" should be {what}");
}
