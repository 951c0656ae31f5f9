using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using DicomScript.Scripting.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Scripting.Tests;

/// <summary>LuaCallbackTimeout and LuaMemoryLimit: a runaway script is stopped, the state goes on serving.</summary>
[TestFixture]
public sealed class BoundedScriptTests
{
    private ScriptedArchive _server = null!;

    [OneTimeSetUp]
    public async Task Start() =>
        _server = await ScriptedArchive.StartAsync(new JsonObject { ["LuaCallbackTimeout"] = 1, ["LuaMemoryLimit"] = 32 });

    [OneTimeTearDown]
    public async Task Stop() => await _server.DisposeAsync();

    [TestCase("while true do end", "execute-script:1")]
    [TestCase("\n\nwhile true do pcall(function() while true do end end) end", "execute-script:3")] // pcall cannot swallow it
    [TestCase("local function f() return f() end f()", "execute-script:1")] // a tail call loops without growing the stack
    [TestCase("local co = coroutine.wrap(function() while true do end end) while true do co() end", "execute-script:1")]
    public async Task ARunawayLoop_IsAbortedAfterTheTimeout_NamingTheLine(string code, string where)
    {
        var clock = Stopwatch.StartNew();
        var (status, body) = await _server.ExecuteAsync(code);

        Assert.That(status, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(JsonNode.Parse(body)!["Details"]!.GetValue<string>(), Does.StartWith("aborted after 1 s (LuaCallbackTimeout) at " + where));
        Assert.That(_server.LuaLog.Lines, Has.Some.Contains("failed: aborted after 1 s (LuaCallbackTimeout) at " + where), "logged too");
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        Assert.That(await _server.OutputAsync("print('next')"), Is.EqualTo("next\n"), "the next script runs");
    }

    [TestCase("local t = {} for i = 1, 1e9 do t[i] = i end")]
    [TestCase("local s = string.rep('x', 64 * 1024 * 1024)")]
    [TestCase("local t = {} for i = 1, 1e9 do t[i] = tostring(i) .. string.rep('y', 100) end")]
    public async Task AScriptAllocatingWithoutBound_IsStoppedByTheCap_AndItsMemoryIsFreed(string code)
    {
        var (status, body) = await _server.ExecuteAsync(code);

        Assert.That(status, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(JsonNode.Parse(body)!["Details"]!.GetValue<string>(), Does.Contain("memory cap of 32 MB (LuaMemoryLimit) at execute-script:1"));
        Assert.That(_server.LuaLog.Lines, Has.Some.Contains("memory cap of 32 MB (LuaMemoryLimit) at execute-script:1"), "logged too");
        Assert.That(_server.Lua.MemoryUsed, Is.LessThan(8 * 1024 * 1024), "what the script held was collected");
        Assert.That(await _server.OutputAsync("print('next')"), Is.EqualTo("next\n"));
    }

    [Test]
    public async Task AStateKeptFullInGlobals_FailsScriptsNotTheServer_UntilTheScriptLetsGo()
    {
        // pcall catches the memory error, and the global keeps the state at its cap.
        await _server.OutputAsync("hog = {} pcall(function() for i = 1, 1e9 do hog[i] = i end end)");

        for (var i = 0; i < 3; i++)
            await _server.ExecuteAsync("local t = {} for i = 1, 1000 do t[i] = tostring(i) end print(#t)");
        await _server.ExecuteAsync("hog = nil collectgarbage()");

        Assert.That(await _server.OutputAsync("print('free again')"), Is.EqualTo("free again\n"));
    }

    [Test]
    public async Task TheTimeout_CountsPerCall_NotPerState()
    {
        // Four calls of 0.35 s of CPU each: more than the timeout together, well under it each (on a
        // loaded machine a call's wall time, which the timeout counts, runs ahead of its CPU time).
        for (var i = 0; i < 4; i++)
        {
            var output = await _server.OutputAsync("local stop = os.clock() + 0.35 while os.clock() < stop do end print('done')");
            Assert.That(output, Is.EqualTo("done\n"));
        }
    }
}
