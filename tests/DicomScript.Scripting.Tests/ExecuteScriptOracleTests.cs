using System.Net;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Scripting.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Scripting.Tests;

/// <summary>
/// The same chunks sent to /tools/execute-script of the real Orthanc 1.10.1 and of ours: the same
/// output and status. (Numbers are left out where Orthanc 1.10.1 turns integers into floats, a trap
/// we fix: JsonConversionTests.)
/// </summary>
[TestFixture]
public sealed class ExecuteScriptOracleTests
{
    private OrthancServer _orthanc = null!;
    private ScriptedArchive _ours = null!;

    [OneTimeSetUp]
    public async Task StartBoth()
    {
        _orthanc = OrthancServer.Start(new JsonObject { ["ExecuteLuaEnabled"] = true, ["CustomKeyForTest"] = "custom" });
        _ours = await ScriptedArchive.StartAsync(new JsonObject { ["CustomKeyForTest"] = "custom" });
    }

    [OneTimeTearDown]
    public async Task StopBoth()
    {
        _orthanc?.Dispose();
        if (_ours is not null)
            await _ours.DisposeAsync();
    }

    [TestCase("print('a', nil, true, false, 'b')")]
    [TestCase("print() print('')")]
    [TestCase("x = 1")]
    [TestCase("print(DumpJson(ParseJson('{\"b\":[\"x\",\"007\",true],\"a\":{},\"c\":null}')))")]
    [TestCase("print(DumpJson({b='007', c={}, d={'x', 'y'}}, true))")]
    [TestCase("print(DumpJson({[1]='a', [3]='c'}), DumpJson({'a', 'b', x='y'}))")]
    [TestCase("print(DumpJson('a\"\\n'), DumpJson(nil), DumpJson(print), DumpJson(true, true))")]
    [TestCase("print(DumpJson(), DumpJson(1, 'yes'), DumpJson(1, true, 3), ParseJson('nope'), ParseJson(''), ParseJson())")]
    [TestCase("print(DumpJson(ParseJson(42)), DumpJson(ParseJson(' [1.5] ')))")] // a number is read as its text, as lua_isstring lets it
    [TestCase("PrintRecursive({a={b='x'}}) PrintRecursive('s') PrintRecursive(true)")]
    [TestCase("print(PrintRecursive({{'a'}, {'b'}}, 2))")]
    [TestCase("print(GetOrthancConfiguration().CustomKeyForTest, GetOrthancConfiguration().LuaHeartBeatPeriod)")]
    [TestCase("print(type(os.execute), type(io.open), type(require), type(debug.traceback), unpack, loadstring)")]
    [TestCase("print(GenerateDicomUid, GetOrthancVersion)")]
    public async Task SameOutput(string code)
    {
        var theirs = await ScriptedArchive.ExecuteAsync(_orthanc.Http, code);
        var ours = await _ours.ExecuteAsync(code);

        Assert.That(theirs.Status, Is.EqualTo(HttpStatusCode.OK), theirs.Body);
        Assert.That(ours, Is.EqualTo(theirs));
    }

    [TestCase("error('boom')")]
    [TestCase("this is bad")]
    [TestCase("local t = nil\nreturn t.x")]
    public async Task SameErrorAnswer_TheLuaMessageNamingTheChunkOurWay(string code)
    {
        var theirs = await ScriptedArchive.ExecuteAsync(_orthanc.Http, code);
        var ours = await _ours.ExecuteAsync(code);

        Assert.That(ours.Status, Is.EqualTo(theirs.Status));
        var (theirError, ourError) = (JsonNode.Parse(theirs.Body)!.AsObject(), JsonNode.Parse(ours.Body)!.AsObject());
        // Orthanc names every chunk "line"; ours is named "execute-script" (scripts: their file name).
        theirError["Details"] = theirError["Details"]!.GetValue<string>().Replace("[string \"line\"]", "execute-script", StringComparison.Ordinal);
        Assert.That(JsonNode.DeepEquals(ourError, theirError), Is.True, $"ours: {ourError}\ntheirs: {theirError}");
    }

    [Test]
    public async Task Disabled_SameEmpty403()
    {
        using var orthanc = OrthancServer.Start();
        await using var ours = await ScriptedArchive.StartAsync(new JsonObject { ["ExecuteLuaEnabled"] = false });

        var theirs = await ScriptedArchive.ExecuteAsync(orthanc.Http, "print(1)");

        Assert.That(theirs, Is.EqualTo((HttpStatusCode.Forbidden, "")));
        Assert.That(await ours.ExecuteAsync("print(1)"), Is.EqualTo(theirs));
    }
}
