using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using DicomScript.Server;
using DicomScript.Server.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace DicomScript.Rest.Tests.Support;

/// <summary>Our archive with its REST API on a free loopback port, configured by the given Orthanc keys.</summary>
internal sealed class RestArchive : IAsyncDisposable
{
    private readonly DirectoryInfo _folder;

    private RestArchive(DicomScriptServer archive, RestServer rest, DirectoryInfo folder)
    {
        Archive = archive;
        Rest = rest;
        _folder = folder;
        Http = Client(IPAddress.Loopback);
    }

    public DicomScriptServer Archive { get; }

    public RestServer Rest { get; }

    /// <summary>A client calling from 127.0.0.1.</summary>
    public HttpClient Http { get; }

    public static async Task<RestArchive> StartAsync(JsonObject? settings = null)
    {
        var folder = Directory.CreateTempSubdirectory("rest-");
        var json = new JsonObject { ["DicomServerEnabled"] = false, ["HttpPort"] = 0, ["StorageDirectory"] = "storage" };
        foreach (var (key, value) in settings ?? [])
            json[key] = value?.DeepClone();
        var path = Path.Combine(folder.FullName, "orthanc.json");
        await File.WriteAllTextAsync(path, json.ToJsonString());
        var archive = DicomScriptServer.Create(ConfigurationLoader.Load(path), NullLoggerFactory.Instance);
        archive.Start();
        // Bound to all interfaces, as Orthanc listens, so a client from 127.0.0.2 reaches it too.
        var rest = RestServer.Create(archive, NullLoggerFactory.Instance);
        await rest.StartAsync();
        return new RestArchive(archive, rest, folder);
    }

    /// <summary>A client whose requests come from <paramref name="source"/> (any 127.x address is loopback).</summary>
    public HttpClient Client(IPAddress source) => ClientFrom(source, Rest.Port);

    /// <summary>A client bound to <paramref name="source"/>, calling 127.0.0.1:<paramref name="port"/>.</summary>
    public static HttpClient ClientFrom(IPAddress source, int port)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Rest.DisposeAsync();
        await Archive.DisposeAsync();
        _folder.Delete(recursive: true);
    }
}
