using System.Text.Json.Nodes;

namespace DicomScript.Server.Configuration;

/// <summary>An entry of OrthancPeers, in either of Orthanc's forms.</summary>
public sealed record OrthancPeer(string Name, Uri Url, string? Username, string? Password)
{
    public IReadOnlyDictionary<string, string> HttpHeaders { get; init; } = new Dictionary<string, string>();

    /// <summary>Seconds; 0 uses HttpTimeout.</summary>
    public int Timeout { get; init; }

    /// <summary><c>"name": ["url"(, "user", "password")]</c> or <c>"name": {"Url": ..., "Username": ..., "Password": ...}</c>.</summary>
    public static OrthancPeer Parse(string name, JsonNode? node)
    {
        var where = $"OrthancPeers.{name}";
        return node switch
        {
            JsonArray { Count: 1 or 3 } a => new OrthancPeer(name, ParseUrl(a[0], where + "[0]"),
                a.Count == 3 ? OrthancConfiguration.Text(a[1], where + "[1]") : null, a.Count == 3 ? OrthancConfiguration.Text(a[2], where + "[2]") : null),
            JsonObject o => new OrthancPeer(name, ParseUrl(o["Url"], where + ".Url"),
                o["Username"] is null ? null : OrthancConfiguration.Text(o["Username"], where + ".Username"),
                o["Password"] is null ? null : OrthancConfiguration.Text(o["Password"], where + ".Password"))
            {
                HttpHeaders = o["HttpHeaders"] is JsonObject headers
                    ? headers.ToDictionary(h => h.Key, h => OrthancConfiguration.Text(h.Value, $"{where}.HttpHeaders.{h.Key}"), StringComparer.OrdinalIgnoreCase)
                    : new Dictionary<string, string>(),
                Timeout = o["Timeout"] is null ? 0 : (int)OrthancConfiguration.Number(o["Timeout"], where + ".Timeout"),
            },
            _ => throw new ConfigurationException($"\"{where}\" must be [\"url\"], [\"url\", \"user\", \"password\"] or an object with Url"),
        };
    }

    private static Uri ParseUrl(JsonNode? node, string where)
    {
        var text = OrthancConfiguration.Text(node, where);
        return Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? url
            : throw new ConfigurationException($"\"{where}\": \"{text}\" is not an http(s) URL");
    }
}
