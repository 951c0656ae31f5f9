using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Rest;
using DicomScript.Server;
using DicomScript.Server.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace DicomScript.Scripting.Tests.Support;

/// <summary>
/// Our archive with its Lua engine and REST API on a free loopback port, assembled as the command
/// line assembles it: the given Orthanc keys (ExecuteLuaEnabled on by default) and Lua scripts,
/// written beside the configuration and listed in LuaScripts in the order given.
/// </summary>
internal sealed class ScriptedArchive : IAsyncDisposable
{
    private readonly DirectoryInfo _folder;

    private ScriptedArchive(DicomScriptServer archive, LuaScripting lua, RestServer rest, DirectoryInfo folder, ListLogger luaLog)
    {
        LuaLog = luaLog;
        Archive = archive;
        Lua = lua;
        Rest = rest;
        _folder = folder;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{rest.Port}/"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public DicomScriptServer Archive { get; }

    public LuaScripting Lua { get; }

    public RestServer Rest { get; }

    public HttpClient Http { get; }

    /// <summary>What the Lua engine logged.</summary>
    public ListLogger LuaLog { get; }

    public static async Task<ScriptedArchive> StartAsync(JsonObject? settings = null, params (string Name, string Code)[] scripts)
    {
        var folder = Directory.CreateTempSubdirectory("lua-");
        try
        {
            var configuration = await WriteConfigurationAsync(folder, settings, scripts);
            var archive = DicomScriptServer.Create(configuration, NullLoggerFactory.Instance, IPAddress.Loopback);
            var rest = RestServer.Create(archive, NullLoggerFactory.Instance, IPAddress.Loopback);
            LuaScripting lua;
            var luaLog = new ListLogger();
            try
            {
                lua = LuaScripting.Create(archive, rest.InProcess, luaLog);
            }
            catch
            {
                await rest.DisposeAsync();
                await archive.DisposeAsync();
                throw;
            }

            archive.Start();
            await rest.StartAsync();
            lua.Start();
            return new ScriptedArchive(archive, lua, rest, folder, luaLog);
        }
        catch
        {
            folder.Delete(recursive: true);
            throw;
        }
    }

    /// <summary>Writes orthanc.json and the scripts into <paramref name="folder"/> and loads the configuration.</summary>
    public static async Task<OrthancConfiguration> WriteConfigurationAsync(DirectoryInfo folder, JsonObject? settings, (string Name, string Code)[] scripts)
    {
        var json = new JsonObject
        {
            ["DicomServerEnabled"] = false,
            ["HttpPort"] = 0,
            ["StorageDirectory"] = "storage",
            ["ExecuteLuaEnabled"] = true,
            ["LuaScripts"] = new JsonArray([.. scripts.Select(s => (JsonNode)s.Name)]),
        };
        foreach (var (key, value) in settings ?? [])
            json[key] = value?.DeepClone();
        foreach (var (name, code) in scripts)
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, name), code);
        var path = Path.Combine(folder.FullName, "orthanc.json");
        await File.WriteAllTextAsync(path, json.ToJsonString());
        return ConfigurationLoader.Load(path);
    }

    /// <summary>POST /tools/execute-script: the status and the body.</summary>
    public Task<(HttpStatusCode Status, string Body)> ExecuteAsync(string code) => ExecuteAsync(Http, code);

    /// <summary>POST /tools/execute-script to any server (ours or the real Orthanc).</summary>
    public static async Task<(HttpStatusCode Status, string Body)> ExecuteAsync(HttpClient client, string code)
    {
        using var response = await client.PostAsync("tools/execute-script", new StringContent(code, Encoding.UTF8, "application/lua"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>POST /instances: the status and the JSON answer.</summary>
    public async Task<(HttpStatusCode Status, JsonNode? Body)> PostInstanceAsync(byte[] file)
    {
        using var response = await Http.PostAsync("instances", new ByteArrayContent(file));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()));
    }

    /// <summary>POST /instances, which must succeed: the instance's ID.</summary>
    public async Task<string> UploadAsync(byte[] file)
    {
        var (status, body) = await PostInstanceAsync(file);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body?.ToJsonString());
        return body!["ID"]!.GetValue<string>();
    }

    /// <summary>How many instances the archive holds (GET /instances).</summary>
    public async Task<int> InstanceCountAsync() => JsonNode.Parse(await Http.GetStringAsync("instances"))!.AsArray().Count;

    /// <summary>Runs <paramref name="code"/> and returns its output, failing the test on an error answer.</summary>
    public async Task<string> OutputAsync(string code)
    {
        var (status, body) = await ExecuteAsync(code);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body);
        return body;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Rest.DisposeAsync();
        await Lua.DisposeAsync();
        await Archive.DisposeAsync();
        _folder.Delete(recursive: true);
    }
}
