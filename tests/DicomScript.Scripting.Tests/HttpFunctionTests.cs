using System.Text;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Scripting.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Scripting.Tests;

/// <summary>HttpGet/Post/Put/Delete with SetHttpCredentials and SetHttpTimeout, against a real HTTP service.</summary>
[TestFixture]
public sealed class HttpFunctionTests
{
    private ScriptedArchive _server = null!;
    private WebService _service = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _server = await ScriptedArchive.StartAsync(new JsonObject { ["HttpTimeout"] = 5 });
        _service = new WebService();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _service.Dispose();
        await _server.DisposeAsync();
    }

    [SetUp]
    public void Reset()
    {
        _service.Received.Clear();
        _service.Answer = request => Task.FromResult((200, "answer to " + request.Path));
    }

    private async Task<string> RunAsync(string code) => await _server.OutputAsync(code.Replace("URL", _service.Url, StringComparison.Ordinal));

    [Test]
    public async Task EachMethod_SendsItsRequest_AndGivesTheBody()
    {
        var output = await RunAsync("""
            print(HttpGet('URLa'))
            print(HttpPost('URLb', 'posted'))
            print(HttpPut('URLc', 'put'))
            print(HttpDelete('URLd'))
            print(HttpPost('URLe'))
            """);

        Assert.That(output, Is.EqualTo("answer to /a\nanswer to /b\nanswer to /c\nSUCCESS\nanswer to /e\n"));
        var requests = _service.Received.Select(r => $"{r.Method} {r.Path} {r.Body}").ToList();
        Assert.That(requests, Is.EquivalentTo(new[] { "GET /a ", "POST /b posted", "PUT /c put", "DELETE /d ", "POST /e " }));
        Assert.That(_service.Received.First(r => r.Path == "/b").Headers["Content-Type"], Is.EqualTo("application/x-www-form-urlencoded"), "curl's default, as Orthanc sends");
    }

    [Test]
    public async Task Headers_GoWithTheirCaseKept_AndAreNotSticky()
    {
        await RunAsync("HttpPost('URLh', '{}', {['Content-Type'] = 'application/json', ['X-Token'] = 7}) HttpGet('URLi')");

        var first = _service.Received.First(r => r.Path == "/h");
        var second = _service.Received.First(r => r.Path == "/i");
        Assert.That((first.Headers["Content-Type"], first.Headers["X-Token"]), Is.EqualTo(("application/json", "7")));
        Assert.That(second.Headers.ContainsKey("X-Token"), Is.False);
    }

    [Test]
    public async Task ContentType_GoesWithABodilessGetAndDelete()
    {
        // Orthanc's integration test HttpClient.lua sends it with HttpGet; it was dropped here.
        await RunAsync("HttpGet('URLj', {['Content-Type'] = 'application/json', ['Toto'] = 'Tutu'}) HttpDelete('URLk', {['Content-Type'] = 'text/plain'})");

        var get = _service.Received.First(r => r.Path == "/j");
        Assert.That((get.Method, get.Headers.GetValueOrDefault("Content-Type"), get.Headers["Toto"]), Is.EqualTo(("GET", "application/json", "Tutu")));
        Assert.That(_service.Received.First(r => r.Path == "/k").Headers.GetValueOrDefault("Content-Type"), Is.EqualTo("text/plain"));
    }

    [Test]
    public async Task Credentials_AreStickyForLaterCalls()
    {
        var fresh = await ScriptedArchive.StartAsync();
        try
        {
            await fresh.OutputAsync($"SetHttpCredentials('alice', 'pw') HttpGet('{_service.Url}one')");
            await fresh.OutputAsync($"HttpGet('{_service.Url}two')");
        }
        finally
        {
            await fresh.DisposeAsync();
        }

        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:pw"));
        Assert.That(_service.Received.Select(r => r.Headers.GetValueOrDefault("Authorization")), Is.All.EqualTo(expected));
    }

    [Test]
    public async Task AnErrorStatus_GivesItsBody_AndHttpDeleteGivesNil()
    {
        _service.Answer = _ => Task.FromResult((404, "not here"));

        Assert.That(await RunAsync("print(HttpGet('URLx'), HttpDelete('URLy'))"), Is.EqualTo("not here, nil\n"));
    }

    [Test]
    public async Task AnUnreachableServer_GivesNil_ForEveryMethod()
    {
        var port = ExternalTools.FreeLoopbackPort();
        var output = await _server.OutputAsync($"local u = 'http://127.0.0.1:{port}/' print(HttpGet(u), HttpPost(u, 'x'), HttpPut(u, 'x'), HttpDelete(u))");

        Assert.That(output, Is.EqualTo("nil, nil, nil, nil\n"));
    }

    [Test]
    public async Task SetHttpTimeout_GivesUpOnASlowServer_WithNil()
    {
        _service.Answer = async _ =>
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            return (200, "late");
        };
        var fresh = await ScriptedArchive.StartAsync();
        try
        {
            var output = await fresh.OutputAsync($"SetHttpTimeout(1) local t = os.time() print(HttpGet('{_service.Url}slow'), os.time() - t <= 2)");
            Assert.That(output, Is.EqualTo("nil, true\n"));
        }
        finally
        {
            await fresh.DisposeAsync();
        }
    }

    [TestCase("HttpGet()")]
    [TestCase("HttpGet({})")]
    [TestCase("HttpGet('URL', 'not a table')")]
    [TestCase("HttpPost('URL', {})")]
    [TestCase("HttpGet('not a url')")]
    public async Task BadArguments_GiveNil(string call)
    {
        Assert.That(await RunAsync($"print({call})"), Is.EqualTo("nil\n"));
    }
}
