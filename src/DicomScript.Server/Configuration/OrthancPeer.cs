using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace DicomScript.Server.Configuration;

/// <summary>An entry of OrthancPeers, in either of Orthanc's forms.</summary>
public sealed record OrthancPeer(string Name, Uri Url, string? Username, string? Password)
{
    public IReadOnlyDictionary<string, string> HttpHeaders { get; init; } = new Dictionary<string, string>();

    /// <summary>Seconds; 0 uses HttpTimeout.</summary>
    public int Timeout { get; init; }

    /// <summary>The URL as configured, ending with "/" (Orthanc appends one): routes are relative to it.</summary>
    public string BaseUrl => Url.OriginalString.EndsWith('/') ? Url.OriginalString : Url.OriginalString + "/";

    /// <summary>A request to <paramref name="route"/> of the peer, with its credentials (HTTP Basic) and HttpHeaders.</summary>
    public HttpRequestMessage CreateRequest(HttpMethod method, string route)
    {
        var request = new HttpRequestMessage(method, BaseUrl + route);
        if (HasCredentials)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}")));
        foreach (var (name, value) in HttpHeaders)
            request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    /// <summary>The peer's Timeout, else <paramref name="httpTimeoutSeconds"/> (HttpTimeout).</summary>
    public TimeSpan TimeoutOr(int httpTimeoutSeconds) => TimeSpan.FromSeconds(Timeout > 0 ? Timeout : httpTimeoutSeconds);

    /// <summary>
    /// Sends <paramref name="request"/> (made by <see cref="CreateRequest"/>) within the peer's
    /// timeout (else <paramref name="httpTimeoutSeconds"/>) and reads the answer. A peer that cannot
    /// be reached or does not answer in time throws what <see cref="IsUnreachable"/> recognises.
    /// </summary>
    public async Task<(HttpStatusCode Status, byte[] Body)> SendAsync(HttpClient http, HttpRequestMessage request, int httpTimeoutSeconds,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeoutOr(httpTimeoutSeconds));
        using var response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false));
    }

    /// <summary>Whether <paramref name="ex"/>, from <see cref="SendAsync"/>, says the peer could not be reached or timed out (not the caller cancelling).</summary>
    public static bool IsUnreachable(Exception ex, CancellationToken cancellationToken) =>
        ex is HttpRequestException || ex is OperationCanceledException && !cancellationToken.IsCancellationRequested;

    private bool HasCredentials => !string.IsNullOrEmpty(Username) || !string.IsNullOrEmpty(Password);

    /// <summary>
    /// What <c>/peers?expand</c> and <c>/peers/{name}/configuration</c> show (Orthanc's public form):
    /// the password as null, header names without their values.
    /// </summary>
    public JsonObject ToPublicJson()
    {
        var json = new JsonObject { ["Url"] = BaseUrl };
        if (!string.IsNullOrEmpty(Username))
        {
            json["Username"] = Username;
            json["Password"] = null;
        }

        json["Pkcs11"] = false;
        json["Timeout"] = Timeout;
        json["HttpHeaders"] = new JsonArray([.. HttpHeaders.Keys.Select(k => (JsonNode)k)]);
        return json;
    }

    /// <summary>
    /// Orthanc's serialized form: <c>[url]</c> or <c>[url, user, password]</c> when that says it all,
    /// else the object form; passwords only when <paramref name="includePasswords"/> (else "").
    /// <see cref="Parse"/> reads both back.
    /// </summary>
    public JsonNode ToJson(bool includePasswords, bool forceObject = false)
    {
        if (!forceObject && HttpHeaders.Count == 0 && Timeout == 0)
            return HasCredentials ? new JsonArray(BaseUrl, Username ?? "", includePasswords ? Password ?? "" : "") : new JsonArray(BaseUrl);
        var json = new JsonObject { ["Url"] = BaseUrl };
        if (HasCredentials)
        {
            json["Username"] = Username ?? "";
            if (includePasswords)
                json["Password"] = Password ?? "";
        }

        json["Pkcs11"] = false;
        json["Timeout"] = Timeout;
        json["HttpHeaders"] = new JsonObject([.. HttpHeaders.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)h.Value))]);
        return json;
    }

    /// <summary>
    /// <c>"name": ["url"(, "user", "password")]</c> or <c>"name": {"Url": ..., "Username": ...,
    /// "Password": ..., "HttpHeaders": {...}, "Timeout": ...}</c> ("URL" is accepted for "Url", as by Orthanc).
    /// </summary>
    public static OrthancPeer Parse(string name, JsonNode? node)
    {
        var where = $"OrthancPeers.{name}";
        switch (node)
        {
            case JsonArray { Count: 1 or 3 } a:
                return new OrthancPeer(name, ParseUrl(OrthancConfiguration.Text(a[0], where + "[0]"), where),
                    a.Count == 3 ? OrthancConfiguration.Text(a[1], where + "[1]") : null, a.Count == 3 ? OrthancConfiguration.Text(a[2], where + "[2]") : null);
            case JsonObject o:
                var fields = new EntryFields(where, o);
                var url = fields.OptionalString("Url", false) is { Length: > 0 } given ? given : fields.OptionalString("URL", false) ?? "";
                return new OrthancPeer(name, ParseUrl(url, where), fields.OptionalString("Username", false), fields.OptionalString("Password", false))
                {
                    HttpHeaders = ParseHeaders(fields),
                    Timeout = fields.UnsignedInteger("Timeout"),
                };
            default:
                throw new ConfigurationException($"\"{where}\" must be [\"url\"], [\"url\", \"user\", \"password\"] or an object with Url");
        }
    }

    private static Dictionary<string, string> ParseHeaders(EntryFields fields)
    {
        if (!fields.Has("HttpHeaders"))
            return new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (fields.Json["HttpHeaders"] is not JsonObject headers
            || headers.Any(h => h.Value is not JsonValue v || v.GetValueKind() != System.Text.Json.JsonValueKind.String))
            throw fields.Invalid("HttpHeaders must be an object of strings");
        return headers.ToDictionary(h => h.Key, h => h.Value!.GetValue<string>(), StringComparer.OrdinalIgnoreCase);
    }

    private static Uri ParseUrl(string text, string where)
    {
        if (text.Length == 0)
            throw new ConfigurationException($"\"{where}\": the URL is missing") { Details = "Empty URL" };
        return Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? url
            : throw new ConfigurationException($"\"{where}\": \"{text}\" is not an http(s) URL") { Details = $"Bad URL: {text}" };
    }
}
