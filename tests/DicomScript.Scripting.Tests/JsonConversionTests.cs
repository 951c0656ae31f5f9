using DicomScript.Scripting.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Scripting.Tests;

/// <summary>ParseJson, DumpJson and GetOrthancConfiguration: Orthanc's conversion rules, integers kept as integers.</summary>
[TestFixture]
public sealed class JsonConversionTests
{
    private ScriptedArchive _server = null!;

    [OneTimeSetUp]
    public async Task Start() => _server = await ScriptedArchive.StartAsync(new() { ["CustomKeyForTest"] = new System.Text.Json.Nodes.JsonObject { ["x"] = 42 } });

    [OneTimeTearDown]
    public async Task Stop() => await _server.DisposeAsync();

    // JSON → Lua → JSON.
    [TestCase("""{"b":[1,2.5,"x"],"a":{"c":true,"d":false}}""", """{"a":{"c":true,"d":false},"b":[1,2.5,"x"]}""")]
    [TestCase("""{"a":null,"b":1}""", """{"b":1}""")] // null members are absent in Lua
    [TestCase("""{"empty":{}}""", """{"empty":[]}""")] // Lua has one table kind: {} comes back as []
    [TestCase("""[1,2,3]""", """[1,2,3]""")]
    [TestCase("""{"big":9007199254740993}""", """{"big":9007199254740993}""")] // all 64 bits of an integer
    [TestCase("{\"a\":1, // comment\n}", """{"a":1}""")] // lenient as Orthanc's reader
    public async Task ParseThenDump_KeepsTheValue(string json, string expected)
    {
        var script = $"print(DumpJson(ParseJson([=[{json}]=])))";
        Assert.That(await _server.OutputAsync(script), Is.EqualTo(expected + "\n"));
    }

    [TestCase("print(ParseJson('{\"a\":42}').a)", "42")] // an integer, not 42.0 (Orthanc 1.10.1's trap)
    [TestCase("print(math.type(ParseJson('[42]')[1]), math.type(ParseJson('[42.5]')[1]))", "integer, float")]
    [TestCase("print(ParseJson('not json'), ParseJson(''), ParseJson(), ParseJson('1', '2'))", "nil, nil, nil, nil")]
    [TestCase("print(ParseJson([[\"\\u00e9\"]]))", "é")]
    public async Task ParseJson(string script, string expected)
    {
        Assert.That(await _server.OutputAsync(script), Is.EqualTo(expected + "\n"));
    }

    [TestCase("DumpJson({b='007', a=3, c=2.5})", """{"a":3,"b":7,"c":2.5}""")] // numeric strings become numbers...
    [TestCase("DumpJson({b='007', a=3, c=2.5}, true)", """{"a":"3","b":"007","c":"2.5"}""")] // ...unless keepStrings
    [TestCase("DumpJson({b='007'}, false)", """{"b":7}""")]
    [TestCase("DumpJson({})", "[]")]
    [TestCase("DumpJson({[1]='a', [3]='c'})", """{"1":"a","3":"c"}""")] // sparse: an object
    [TestCase("DumpJson({'a', 'b', x=1})", """{"1":"a","2":"b","x":1}""")]
    [TestCase("DumpJson(3000000000)", "3000000000")] // Orthanc overflows to 3000000000.0
    [TestCase("DumpJson(42.0)", "42")]
    [TestCase("DumpJson(nil)", "null")]
    [TestCase("DumpJson(print)", "null")]
    [TestCase("DumpJson(true, true)", "true")]
    [TestCase("DumpJson('a\"\\n')", "\"a\\\"\\n\"")]
    [TestCase("DumpJson()", "nil")]
    [TestCase("DumpJson(1, 'yes')", "nil")] // the second argument must be a boolean
    [TestCase("DumpJson(1, true, 3)", "nil")]
    public async Task DumpJson(string call, string expected)
    {
        Assert.That(await _server.OutputAsync($"print({call})"), Is.EqualTo(expected + "\n"));
    }

    [Test]
    public async Task ParseJson_OfDeeplyNestedJson_IsNilNotACrash()
    {
        var deep = new string('[', 5000) + new string(']', 5000);
        Assert.That(await _server.OutputAsync($"print(ParseJson('{deep}'))"), Is.EqualTo("nil\n"));
    }

    [Test]
    public async Task DumpJson_OfATableHoldingItself_IsNilNotACrash()
    {
        Assert.That(await _server.OutputAsync("local t = {} t.self = t print(DumpJson(t))"), Is.EqualTo("nil\n"));
    }

    [Test]
    public async Task GetOrthancConfiguration_IsTheFileAsWritten_CustomKeysIncluded_NoDefaultsAdded()
    {
        var output = await _server.OutputAsync(
            "local c = GetOrthancConfiguration() print(c.CustomKeyForTest.x, c.HttpPort, c.LuaHeartBeatPeriod, c.ExecuteLuaEnabled)");
        Assert.That(output, Is.EqualTo("42, 0, nil, true\n"));
    }

    [Test]
    public async Task PrintRecursive_OneLinePerLeaf_WithTheKeysAsPath()
    {
        var output = await _server.OutputAsync("PrintRecursive({'x', {a=true}}) PrintRecursive(7)");
        Assert.That(output, Is.EqualTo("table\n\t[1], string, x\n\t[2], table\n\t[2]\t[a], boolean, true\nnumber, 7\n"));
    }

    [Test]
    public async Task PrintRecursive_StopsAtItsLimit()
    {
        var output = await _server.OutputAsync("print(PrintRecursive({1, 2, 3}, 2))");
        Assert.That(output, Is.EqualTo("table\n\t[1], number, 1\n\t[2], number, 2\nERROR: Item limit reached.\n-1\n"));
    }
}
