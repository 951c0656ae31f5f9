using System.Net;
using System.Text.Json.Nodes;
using DicomScript.Scripting.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Scripting.Tests;

/// <summary>/tools/execute-script on our server: output, errors, ExecuteLuaEnabled, the shared state.</summary>
[TestFixture]
public sealed class ExecuteScriptTests
{
    private ScriptedArchive _server = null!;

    [OneTimeSetUp]
    public async Task Start() => _server = await ScriptedArchive.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _server.DisposeAsync();

    [Test]
    public async Task Print_JoinsItsArgumentsWithCommaAndSpace_OneLinePerCall()
    {
        Assert.That(await _server.OutputAsync("print('a', nil, true, 1, 2.5) print() print('x')"), Is.EqualTo("a, nil, true, 1, 2.5\n\nx\n"));
    }

    [Test]
    public async Task Print_AddsNoSeparatorWhileTheLineIsEmpty_AsOrthanc()
    {
        Assert.That(await _server.OutputAsync("print('', 'a', '', 'b')"), Is.EqualTo("a, , b\n"));
    }

    [Test]
    public async Task Output_IsEmptyWhenNothingIsPrinted_AndTheChunksResultIsIgnored()
    {
        Assert.That(await _server.OutputAsync("return 42"), Is.Empty);
    }

    [Test]
    public async Task Globals_StayBetweenCalls()
    {
        await _server.OutputAsync("counterForTest = 41");
        Assert.That(await _server.OutputAsync("counterForTest = counterForTest + 1 print(counterForTest)"), Is.EqualTo("42\n"));
    }

    [TestCase("error('boom')", "execute-script:1: boom")]
    [TestCase("\nlocal x = nil\nreturn x.field", "execute-script:3: attempt to index a nil value (local 'x')")]
    [TestCase("this is bad", "execute-script:1: syntax error near 'is'")]
    [TestCase("error({})", "(error object is a table value)")]
    public async Task AFailingChunk_Answers500WithOrthancsErrorBody_AndTheLuaMessage(string code, string details)
    {
        var (status, body) = await _server.ExecuteAsync(code);

        Assert.That(status, Is.EqualTo(HttpStatusCode.InternalServerError));
        var error = JsonNode.Parse(body)!;
        Assert.Multiple(() =>
        {
            Assert.That(error["OrthancStatus"]!.GetValue<int>(), Is.EqualTo(2031));
            Assert.That(error["Message"]!.GetValue<string>(), Is.EqualTo("Cannot execute a Lua command"));
            Assert.That(error["Uri"]!.GetValue<string>(), Is.EqualTo("/tools/execute-script"));
            Assert.That(error["Details"]!.GetValue<string>(), Is.EqualTo(details));
        });
    }

    [Test]
    public async Task AfterAFailure_TheNextChunkRuns()
    {
        await _server.ExecuteAsync("error('first')");
        Assert.That(await _server.OutputAsync("print('second')"), Is.EqualTo("second\n"));
    }

    [Test]
    public async Task WhenExecuteLuaIsDisabled_403WithAnEmptyBody_AndNothingRuns()
    {
        await using var locked = await ScriptedArchive.StartAsync(new JsonObject { ["ExecuteLuaEnabled"] = false });

        var (status, body) = await locked.ExecuteAsync("ranForTest = true");

        Assert.That((status, body), Is.EqualTo((HttpStatusCode.Forbidden, "")));
        Assert.That(locked.Lua.Execute("print(ranForTest)"), Is.EqualTo("nil\n"), "the chunk must not have run");
    }

    [Test]
    public async Task TheBody_RunsAsBytes_NotDecodedAsText()
    {
        using var content = new ByteArrayContent([.. "print(#'"u8, 0xE9, .. "')"u8]); // a Latin-1 é: one byte
        using var response = await _server.Http.PostAsync("tools/execute-script", content);

        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("1\n"));
    }
}
