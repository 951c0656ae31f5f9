using System.Text.Json.Nodes;
using DicomScript.Scripting.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Scripting.Tests;

/// <summary>SetStableStatus and the key-value stores: what they answer, and that they change the index.</summary>
[TestFixture]
public sealed class IndexFunctionTests
{
    [Test]
    public async Task KeyValues_StoreGetDelete_BinarySafe_AndWrittenToTheIndex()
    {
        await using var server = await ScriptedArchive.StartAsync();

        var output = await server.OutputAsync("""
            print(StoreKeyValue('routing', 'last', 'a\0b\255'), StoreKeyValue('routing', 'count', 3))
            print(#GetKeyValue('routing', 'last'), GetKeyValue('routing', 'last') == 'a\0b\255', GetKeyValue('routing', 'count'))
            print(GetKeyValue('other', 'last'), GetKeyValue('routing', 'absent'))
            StoreKeyValue('routing', 'count', '4')
            print(GetKeyValue('routing', 'count'), DeleteKeyValue('routing', 'count'), GetKeyValue('routing', 'count'), DeleteKeyValue('routing', 'count'))
            """);

        Assert.That(output, Is.EqualTo("true, true\n4, true, 3\nnil, nil\n4, true, nil, true\n"));
        Assert.That(server.Archive.Index.GetKeyValue("routing", "last"), Is.EqualTo(new byte[] { (byte)'a', 0, (byte)'b', 255 }));
    }

    [Test]
    public async Task KeyValues_WrongArguments_GiveNil()
    {
        await using var server = await ScriptedArchive.StartAsync();

        var output = await server.OutputAsync("""
            print(StoreKeyValue('s', 'k'), StoreKeyValue('s', {}, 'v'), GetKeyValue('s'), DeleteKeyValue(nil, 'k'))
            """);

        Assert.That(output, Is.EqualTo("nil, nil, nil, nil\n"));
    }

    [Test]
    public async Task SetStableStatus_ChangesTheStateOnce_FiresOnStableStudy_AndRefusesUnknownIds()
    {
        // StableAge is long: only SetStableStatus can make the study stable within the test.
        await using var server = await ScriptedArchive.StartAsync(new JsonObject { ["StableAge"] = 3600 }, ("stable.lua", """
            stable = {}
            function OnStableStudy(id, tags, metadata) table.insert(stable, id) end
            """));
        var instance = await server.UploadAsync(SampleInstances.Copy(1));
        var study = JsonNode.Parse(await server.Http.GetStringAsync($"instances/{instance}/study"))!["ID"]!.GetValue<string>();

        var output = await server.OutputAsync($"""
            print(SetStableStatus('{study}', true), SetStableStatus('{study}', true), SetStableStatus('{instance}', true))
            print(SetStableStatus('unknown', true), SetStableStatus('{study}'))
            """);
        Assert.That(output, Is.EqualTo("true, false, false\nnil, nil\n"));
        Assert.That(await StudyIsStableAsync(server, study), Is.True);
        await LuaPolling.UntilAsync(server, "print(stable[1])", o => o.Contains(study, StringComparison.Ordinal));

        Assert.That(await server.OutputAsync($"print(SetStableStatus('{study}', false), SetStableStatus('{study}', false))"), Is.EqualTo("true, false\n"));
        Assert.That(await StudyIsStableAsync(server, study), Is.False, "unstable again, for StableAge");
    }

    private static async Task<bool> StudyIsStableAsync(ScriptedArchive server, string study) =>
        JsonNode.Parse(await server.Http.GetStringAsync($"studies/{study}"))!["IsStable"]!.GetValue<bool>();
}
