using DicomScript.Rest;
using DicomScript.Scripting.Tests.Support;
using DicomScript.Server;
using DicomScript.Server.Scripting;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace DicomScript.Scripting.Tests;

/// <summary>LuaScripts: loaded in order, last definition wins, a failing script stops the start naming file and line.</summary>
[TestFixture]
public sealed class ScriptLoadingTests
{
    [Test]
    public async Task Scripts_RunInOrder_AndTheLastDefinitionOfAGlobalWins()
    {
        await using var server = await ScriptedArchive.StartAsync(null,
            ("first.lua", "function Which() return 'first' end loadedOrder = 'first'"),
            ("second.lua", "function Which() return 'second' end loadedOrder = loadedOrder .. ',second'"));

        Assert.That(await server.OutputAsync("print(Which(), loadedOrder)"), Is.EqualTo("second, first,second\n"));
    }

    [Test]
    public async Task ChunkNames_AreTheFileNames()
    {
        await using var server = await ScriptedArchive.StartAsync(null, ("routing.lua", "\nfunction Fails()\n  error('no route')\nend"));

        var (_, body) = await server.ExecuteAsync("Fails()");

        Assert.That(body, Does.Contain("routing.lua:3: no route"));
    }

    [TestCase("x = = 1", "broken.lua:1:")] // syntax error
    [TestCase("\n\nerror('refused')", "broken.lua:3: refused")] // runtime error while loading
    public async Task AScriptThatFails_StopsTheStart_NamingFileAndLine(string code, string where)
    {
        var failure = await Assert.ThrowsAsync<ScriptException>(async () => await ScriptedArchive.StartAsync(null, ("good.lua", "x = 1"), ("broken.lua", code)));

        Assert.That(failure!.Message, Does.Contain(where));
        Assert.That(failure.Message, Does.Contain(Path.DirectorySeparatorChar + "broken.lua failed"), "the full path of the file");
    }

    [Test]
    public async Task AMissingScript_StopsTheStart_NamingIt()
    {
        var folder = Directory.CreateTempSubdirectory("lua-missing-");
        try
        {
            var configuration = await ScriptedArchive.WriteConfigurationAsync(folder, new() { ["LuaScripts"] = new System.Text.Json.Nodes.JsonArray("absent.lua") }, []);
            await using var archive = DicomScriptServer.Create(configuration, NullLoggerFactory.Instance);
            await using var rest = RestServer.Create(archive, NullLoggerFactory.Instance);

            var failure = Assert.Throws<ScriptException>(() => LuaScripting.Create(archive, rest.InProcess, NullLoggerFactory.Instance));

            Assert.That(failure!.Message, Does.Contain(Path.Combine(folder.FullName, "absent.lua")));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
