using System.Net;
using System.Net.Http.Headers;
using System.Text;
using DicomScript.Scripting.Engine;
using DicomScript.Server.Configuration;
using KeraLua;
using Microsoft.Extensions.Logging;

namespace DicomScript.Scripting.Functions;

/// <summary>
/// HttpGet/Post/Put/Delete, SetHttpCredentials and SetHttpTimeout: one HTTP client for the state,
/// credentials and timeout sticky (HttpTimeout by default), headers per call. A body comes back for
/// any status (as Orthanc 1.12.11+; 1.10.1 gave "" for an error status), nil when the server cannot
/// be reached or does not answer in time; HttpDelete gives "SUCCESS" for 2xx, else nil (a transport
/// error included: Orthanc throws through Lua there). The Lua lock is given up during the request,
/// so the web service called may call our REST API back even with IncomingHttpRequestFilter defined.
/// </summary>
internal sealed class HttpFunctions : IDisposable
{
    private readonly LuaEngine _engine;
    private readonly HttpClient _client;
    private readonly ILogger _logger;
    private AuthenticationHeaderValue? _credentials;
    private TimeSpan _timeout;

    private HttpFunctions(LuaEngine engine, OrthancConfiguration configuration, ILogger logger)
    {
        _engine = engine;
        _logger = logger;
        _timeout = Seconds(configuration.HttpTimeout);
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false };
        if (!configuration.HttpsVerifyPeers)
        {
#pragma warning disable CA5359 // HttpsVerifyPeers: false is the administrator's explicit choice, as in Orthanc
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        if (!string.IsNullOrEmpty(configuration.HttpProxy))
            handler.Proxy = new WebProxy(configuration.HttpProxy);
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public static HttpFunctions Register(LuaEngine engine, OrthancConfiguration configuration, ILogger logger)
    {
        var functions = new HttpFunctions(engine, configuration, logger);
        engine.SetGlobal("HttpGet", lua => functions.Request(lua, HttpMethod.Get, "HttpGet"));
        engine.SetGlobal("HttpPost", lua => functions.Request(lua, HttpMethod.Post, "HttpPost"));
        engine.SetGlobal("HttpPut", lua => functions.Request(lua, HttpMethod.Put, "HttpPut"));
        engine.SetGlobal("HttpDelete", lua => functions.Request(lua, HttpMethod.Delete, "HttpDelete"));
        engine.SetGlobal("SetHttpCredentials", functions.SetCredentials);
        engine.SetGlobal("SetHttpTimeout", functions.SetTimeout);
        return functions;
    }

    // 0 (or less) means no timeout, as in Orthanc.
    private static TimeSpan Seconds(long seconds) => seconds > 0 ? TimeSpan.FromSeconds(seconds) : Timeout.InfiniteTimeSpan;

    private int SetCredentials(Lua lua)
    {
        if (lua.GetTop() != 2 || !lua.IsStringOrNumber(1) || !lua.IsStringOrNumber(2))
        {
            LuaArguments.LogBadArguments(_logger, "SetHttpCredentials");
            return 0;
        }

        var pair = $"{lua.ToString(1, false)}:{lua.ToString(2, false)}";
        _credentials = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
        return 0;
    }

    private int SetTimeout(Lua lua)
    {
        if (lua.GetTop() != 1 || lua.Type(1) != LuaType.Number)
        {
            LuaArguments.LogBadArguments(_logger, "SetHttpTimeout");
            return 0;
        }

        _timeout = Seconds((long)lua.ToNumber(1));
        return 0;
    }

    // (url [, headers]) for GET and DELETE, (url [, body [, headers]]) for POST and PUT; a nil body
    // sends an empty one.
    private int Request(Lua lua, HttpMethod method, string function)
    {
        var hasBody = method == HttpMethod.Post || method == HttpMethod.Put;
        var headersAt = hasBody ? 3 : 2;
        var count = lua.GetTop();
        if (count < 1 || count > headersAt || !lua.IsStringOrNumber(1)
            || (hasBody && count >= 2 && !lua.IsStringOrNumber(2) && lua.Type(2) != LuaType.Nil) || !LuaArguments.AbsentOr(lua, headersAt, LuaType.Table))
        {
            LuaArguments.LogBadArguments(_logger, function);
            return LuaArguments.Nil(lua);
        }

        var url = lua.ToString(1, false) ?? "";
        var body = hasBody && count >= 2 && lua.IsStringOrNumber(2) ? lua.ToBuffer(2, false) ?? [] : [];
        var headers = LuaArguments.Headers(lua, headersAt, lowerCaseNames: false);
        var (credentials, timeout) = (_credentials, _timeout);
        var answer = _engine.WithoutLock(() => Send(method, url, hasBody ? body : null, headers, credentials, timeout, function));
        if (answer is null || (method == HttpMethod.Delete && !answer.Value.Success))
            return LuaArguments.Nil(lua);
        if (method == HttpMethod.Delete)
            lua.PushString("SUCCESS");
        else
            lua.PushBuffer(answer.Value.Body);
        return 1;
    }

    private (bool Success, byte[] Body)? Send(HttpMethod method, string url, byte[]? body, Dictionary<string, string> headers,
        AuthenticationHeaderValue? credentials, TimeSpan timeout, string function)
    {
        try
        {
            using var request = new HttpRequestMessage(method, url);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                // curl's default for a posted body, which scripts written for Orthanc may rely on.
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
            }

            request.Headers.Authorization = credentials;
            foreach (var (name, value) in headers)
            {
                if (!request.Headers.TryAddWithoutValidation(name, value))
                {
                    // A content header (Content-Type, ...): .NET keeps those on the body, so a GET or
                    // DELETE gets an empty one to carry it (curl sends the header as given).
                    request.Content ??= new ByteArrayContent([]);
                    request.Content.Headers.Remove(name);
                    request.Content.Headers.TryAddWithoutValidation(name, value);
                }
            }

            using var cancel = new CancellationTokenSource(timeout);
            using var response = _client.Send(request, cancel.Token);
            using var stream = response.Content.ReadAsStream(cancel.Token);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return (response.IsSuccessStatusCode, copy.ToArray());
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException or UriFormatException
            or InvalidOperationException or NotSupportedException)
        {
            LuaArguments.LogCallFailed(_logger, function, url, ex.Message);
            return null;
        }
    }

    public void Dispose() => _client.Dispose();
}
