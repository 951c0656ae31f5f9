using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace DicomScript.Dicom.Tests.Support;

/// <summary>
/// The real Orthanc 1.10.1 (Debian package orthanc), started on loopback with a temporary
/// configuration (no plugins, no DICOM server, storage in a temporary folder) as the oracle.
/// </summary>
public sealed class OrthancServer : IDisposable
{
    private const string Executable = "/usr/sbin/Orthanc";

    private readonly Process _process;
    private readonly DirectoryInfo _folder;

    private OrthancServer(Process process, DirectoryInfo folder, int port)
    {
        _process = process;
        _folder = folder;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Http { get; }

    /// <summary>Where this Orthanc keeps its files.</summary>
    public string StorageDirectory { get; private init; } = "";

    /// <summary>Starts Orthanc and waits until its REST API answers; ignores/fails the test when it is not installed.</summary>
    /// <param name="extra">Configuration keys added to the temporary configuration (e.g. StorageCompression).</param>
    public static OrthancServer Start(JsonObject? extra = null)
    {
        ExternalTools.Require(Executable, "orthanc");
        var folder = Directory.CreateTempSubdirectory("orthanc-oracle-");
        var port = ExternalTools.FreeLoopbackPort();
        var config = new JsonObject
        {
            ["Name"] = "oracle",
            ["HttpPort"] = port,
            ["RemoteAccessAllowed"] = false,
            ["AuthenticationEnabled"] = false,
            ["DicomServerEnabled"] = false,
            ["DicomPort"] = ExternalTools.FreeLoopbackPort(),
            ["StorageDirectory"] = Path.Combine(folder.FullName, "storage"),
            ["IndexDirectory"] = Path.Combine(folder.FullName, "index"),
            ["Plugins"] = new JsonArray(),
            ["HttpTimeout"] = 30,
        };
        foreach (var (key, value) in extra ?? [])
            config[key] = value?.DeepClone();
        var configPath = Path.Combine(folder.FullName, "orthanc.json");
        File.WriteAllText(configPath, config.ToJsonString());

        var start = new ProcessStartInfo(Executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(configPath);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start Orthanc");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new OrthancServer(process, folder, port) { StorageDirectory = Path.Combine(folder.FullName, "storage") };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
                break;
            try
            {
                if (server.Http.GetAsync("system").Result.StatusCode == HttpStatusCode.OK)
                    return server;
            }
            catch (AggregateException)
            {
                // not listening yet
            }

            Thread.Sleep(100);
        }

        server.Dispose();
        throw new InvalidOperationException("Orthanc did not start within 30 s");
    }

    /// <summary>Uploads a file: the instance ID, or null with Orthanc's answer when it refuses the file.</summary>
    public (string? Id, string Answer) Upload(byte[] file)
    {
        using var content = new ByteArrayContent(file);
        var response = Http.PostAsync("instances", content).Result;
        var answer = response.Content.ReadAsStringAsync().Result;
        if (response.StatusCode != HttpStatusCode.OK)
            return (null, $"{(int)response.StatusCode} {answer}");
        return (JsonNode.Parse(answer)!["ID"]!.GetValue<string>(), answer);
    }

    public JsonNode GetJson(string path) => JsonNode.Parse(Http.GetStringAsync(path).Result)!;

    /// <summary>POSTs a JSON body and returns the JSON answer (throws on an HTTP error).</summary>
    public JsonNode PostJson(string path, JsonNode body)
    {
        using var content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        var response = Http.PostAsync(path, content).Result;
        var answer = response.Content.ReadAsStringAsync().Result;
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {answer}");
        return JsonNode.Parse(answer)!;
    }

    public void Delete(string path) => Http.DeleteAsync(path).Result.EnsureSuccessStatusCode();

    public void Dispose()
    {
        Http.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        finally
        {
            _process.Dispose();
            _folder.Delete(recursive: true);
        }
    }
}
