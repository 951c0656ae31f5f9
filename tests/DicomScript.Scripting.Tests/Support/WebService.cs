using System.Collections.Concurrent;
using System.Net;
using System.Text;
using DicomScript.Dicom.Tests.Support;

namespace DicomScript.Scripting.Tests.Support;

/// <summary>A request a <see cref="WebService"/> received.</summary>
internal sealed record ReceivedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>
/// An HTTP service on a free loopback port for Lua's Http* to call: it records every request and
/// answers what <see cref="Answer"/> says (by default 200 with "answer to PATH").
/// </summary>
internal sealed class WebService : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public WebService()
    {
        Port = ExternalTools.FreeLoopbackPort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/";

    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    /// <summary>Status and body for a request.</summary>
    public Func<ReceivedRequest, Task<(int Status, string Body)>> Answer { get; set; } =
        request => Task.FromResult((200, "answer to " + request.Path));

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                var headers = context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => context.Request.Headers[k] ?? "", StringComparer.OrdinalIgnoreCase);
                var request = new ReceivedRequest(context.Request.HttpMethod, context.Request.Url!.PathAndQuery, headers, await reader.ReadToEndAsync());
                Received.Enqueue(request);
                var (status, body) = await Answer(request);
                context.Response.StatusCode = status;
                var bytes = Encoding.UTF8.GetBytes(body);
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            });
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
