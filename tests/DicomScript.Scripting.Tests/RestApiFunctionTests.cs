using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Scripting.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Scripting.Tests;

/// <summary>RestApiGet/Post/Put/Delete: the REST API in process, byte for byte, nil on anything but 200, no authentication.</summary>
[TestFixture]
public sealed class RestApiFunctionTests
{
    private const string User = "alice";
    private const string Password = "secret-for-test";
    private ScriptedArchive _server = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _server = await ScriptedArchive.StartAsync(new JsonObject
        {
            ["AuthenticationEnabled"] = true,
            ["RegisteredUsers"] = new JsonObject { [User] = Password },
        });
        _server.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")));
    }

    [OneTimeTearDown]
    public async Task Stop() => await _server.DisposeAsync();

    private static string CorpusFile()
    {
        PydicomCorpus.Require();
        return PydicomCorpus.FullPath("test_files/CT_small.dcm");
    }

    [Test]
    public async Task RestApiGet_AnswersTheBody_WithoutTheCredentialsHttpClientsNeed()
    {
        using var anonymous = new HttpClient { BaseAddress = _server.Http.BaseAddress };
        Assert.That((await anonymous.GetAsync("system")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "HTTP needs credentials");

        var output = await _server.OutputAsync("local system = ParseJson(RestApiGet('/system')) print(system.DicomAet, type(system.Version))");

        Assert.That(output, Is.EqualTo("ORTHANC, string\n"));
    }

    [Test]
    public async Task UploadThroughRestApiPost_IsBinarySafe_AndStoredWithOriginLua()
    {
        var file = CorpusFile();
        var output = await _server.OutputAsync($$"""
            local f = io.open('{{file}}', 'rb') local bytes = f:read('a') f:close()
            local answer = ParseJson(RestApiPost('/instances', bytes))
            local copy = RestApiGet('/instances/' .. answer.ID .. '/file')
            print(answer.ID, #copy == #bytes and copy == bytes)
            """);
        var id = output.Split(", ")[0];

        Assert.That(output, Does.EndWith(", true\n"), "the file read back through RestApiGet is the file posted");
        var origin = await (await _server.Http.GetAsync($"instances/{id}/metadata/Origin")).Content.ReadAsStringAsync();
        var metadata = JsonNode.Parse(await _server.Http.GetStringAsync($"instances/{id}/metadata"))!.AsArray().Select(n => n!.GetValue<string>());
        Assert.That(origin, Is.EqualTo("Lua"));
        Assert.That(metadata, Does.Not.Contain("RemoteIP").And.Not.Contain("HttpUsername"), "as in Orthanc, Lua's uploads have neither");
    }

    [Test]
    public async Task RestApiPutAndDelete_AnswerTheEmptyBodyAndTrue_ThenNilOnceGone_ANumberBodyAsText()
    {
        var id = await _server.UploadAsync(await File.ReadAllBytesAsync(CorpusFile()));

        var output = await _server.OutputAsync($"""
            print('[' .. RestApiPut('/instances/{id}/metadata/1024', 'hello') .. ']', RestApiGet('/instances/{id}/metadata/1024'))
            RestApiPut('/instances/{id}/metadata/1025', 42)
            print(RestApiGet('/instances/{id}/metadata/1025'))
            print(RestApiDelete('/instances/{id}'), RestApiDelete('/instances/{id}'), RestApiGet('/instances/{id}'))
            """);

        Assert.That(output, Is.EqualTo("[], hello\n42\ntrue, nil, nil\n"), "a number as body is sent as Lua writes it");
    }

    [TestCase("RestApiGet('/instances/nonexistent')")] // 404
    [TestCase("RestApiPost('/nope', 'x')")] // unknown route
    [TestCase("RestApiPost('/tools/generate-uid', '')")] // a GET-only route
    [TestCase("RestApiGet()")]
    [TestCase("RestApiGet({})")]
    [TestCase("RestApiGet('/system', 'yes')")] // builtin must be a boolean
    [TestCase("RestApiGet('/system', true, 'headers')")]
    [TestCase("RestApiGet('/system', true, {}, 4)")]
    [TestCase("RestApiPost('/instances')")] // no body
    [TestCase("RestApiPost('/instances', {})")]
    [TestCase("RestApiDelete('/patients/nonexistent')")]
    public async Task AnythingButStatus200_OrBadArguments_GiveNil_NotAnError(string call)
    {
        Assert.That(await _server.OutputAsync($"print({call})"), Is.EqualTo("nil\n"));
    }

    [Test]
    public async Task BuiltinAndHeaders_AreAccepted()
    {
        var output = await _server.OutputAsync("""
            print(RestApiGet('/system', true) ~= nil, RestApiGet('/system', false, {['X-Custom'] = 1}) ~= nil)
            print(RestApiPost('/tools/find', '{"Level":"Patient","Query":{}}', false, {['Content-Type'] = 'application/json'}) ~= nil)
            """);
        Assert.That(output, Is.EqualTo("true, true\ntrue\n"));
    }

    [Test]
    public async Task ANestedExecuteScript_AnswersItsOwnOutput_AndTheOuterOutputIsKept()
    {
        var output = await _server.OutputAsync("print('outer') print(RestApiPost('/tools/execute-script', 'print(6 * 7)')) print('after')");

        // Orthanc loses 'outer' here (the nested call clears the output buffer they share).
        Assert.That(output, Is.EqualTo("outer\n42\n\nafter\n"));
    }

    [Test]
    public async Task WithTheHttpServerDisabled_RestApiStillServesLua()
    {
        await using var server = await ScriptedArchive.StartAsync(new JsonObject { ["HttpServerEnabled"] = false });

        Assert.That(server.Lua.Execute("print(ParseJson(RestApiGet('/system')).DicomAet)"), Is.EqualTo("ORTHANC\n"));
    }
}
