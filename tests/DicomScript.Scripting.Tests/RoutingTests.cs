using System.Net;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Network.Scu;
using DicomScript.Scripting.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Scripting.Tests;

/// <summary>
/// Routing from OnStoredInstance with the helpers (SendToModality, SendToPeer, ModifyInstance, Delete,
/// CallSystem) into real peers: dcmtk's storescp and a second instance of ours.
/// </summary>
[TestFixture]
public sealed class RoutingTests
{
    private StoreScpSink _sink = null!;

    [SetUp]
    public void StartSink() => _sink = new StoreScpSink();

    [TearDown]
    public void StopSink() => _sink.Dispose();

    private JsonObject Settings(JsonObject? more = null)
    {
        var settings = new JsonObject
        {
            ["DicomModalities"] = new JsonObject
            {
                ["sink"] = new JsonArray("SINK", "127.0.0.1", _sink.Port),
                ["dead"] = new JsonArray("DEAD", "127.0.0.1", PeerProcess.FreePort()),
            },
        };
        foreach (var (key, value) in more ?? [])
            settings[key] = value?.DeepClone();
        return settings;
    }

    private static async Task<List<string>> UploadCopiesAsync(ScriptedArchive server, int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
            ids.Add(await server.UploadAsync(SampleInstances.Copy(i)));
        return ids;
    }

    private List<DicomFile> Received() => _sink.Received();

    private static async Task<List<JsonNode>> JobsAsync(ScriptedArchive server) =>
        [.. JsonNode.Parse(await server.Http.GetStringAsync("jobs?expand"))!.AsArray().Select(j => j!)];

    [Test]
    public async Task AutoRouting_EveryInstanceArrives_TheOriginalsAreDeleted_OverOneAssociation()
    {
        await using var server = await ScriptedArchive.StartAsync(Settings(),
            ("route.lua", "function OnStoredInstance(id) Delete(SendToModality(id, 'sink')) end"));

        await UploadCopiesAsync(server, 12);
        await LuaPolling.ConditionAsync(async () => Received().Count == 12 && await server.InstanceCountAsync() == 0, "all sent and deleted");

        var uids = Received().Select(f => f.Dataset.GetString(DicomTags.SOPInstanceUID)).Order().ToList();
        Assert.That(uids, Is.EqualTo(Enumerable.Range(0, 12).Select(i => $"1.2.826.0.1.3680043.10.1138.{i}").Order().ToList()));
        var jobs = await JobsAsync(server);
        Assert.That(jobs.Select(j => (j["Type"]!.GetValue<string>(), j["State"]!.GetValue<string>())), Is.All.EqualTo(("SequenceOfOperations", "Success")));
        Assert.That(jobs[0]["Content"]!.ToJsonString(), Is.EqualTo("""{"CountOperations":2,"Description":"Lua"}"""));
        var associations = _sink.Output.Split('\n').Count(l => l.Contains("Association Acknowledged", StringComparison.Ordinal));
        Assert.That(associations, Is.EqualTo(1), "the association is reused within DicomAssociationCloseDelay: " + _sink.Output);
    }

    [Test]
    public async Task AutoRouting_SendsEachInstanceAsItWasStored_BitForBit()
    {
        // Files our encoder would write otherwise; the sink takes their syntax (explicit VR little endian).
        string[] files = ["test_files/CT_small.dcm", "test_files/test-SR.dcm"];
        await using var server = await ScriptedArchive.StartAsync(Settings(),
            ("route.lua", "function OnStoredInstance(id) Delete(SendToModality(id, 'sink')) end"));
        var originals = files.Select(f => FileToSend.Parse(File.ReadAllBytes(PydicomCorpus.FullPath(f)))).ToList();

        foreach (var file in files)
            await server.UploadAsync(File.ReadAllBytes(PydicomCorpus.FullPath(file)));
        await LuaPolling.ConditionAsync(async () => _sink.Folder.GetFiles().Length == files.Length && await server.InstanceCountAsync() == 0, "all sent and deleted");

        var received = _sink.Folder.GetFiles().Select(f => FileToSend.Parse(File.ReadAllBytes(f.FullName)))
            .ToDictionary(f => f.File.Dataset.GetString(DicomTags.SOPInstanceUID)!);
        foreach (var original in originals)
        {
            var uid = original.File.Dataset.GetString(DicomTags.SOPInstanceUID)!;
            Assert.That(DicomWriter.Encode(original.File.Dataset, original.File.TransferSyntax).Span.SequenceEqual(original.DatasetBytes.Span), Is.False,
                $"{uid}: encoded again it would differ, so the test tells the two ways apart");
            Assert.That(received[uid].DatasetBytes.ToArray(), Is.EqualTo(original.DatasetBytes.ToArray()), uid);
        }
    }

    [Test]
    public async Task TheAssociation_IsReleasedAfterDicomAssociationCloseDelay()
    {
        await using var server = await ScriptedArchive.StartAsync(Settings(new JsonObject { ["DicomAssociationCloseDelay"] = 3 }),
            ("route.lua", "function OnStoredInstance(id) SendToModality(id, 'sink') end"));

        await UploadCopiesAsync(server, 1);

        await LuaPolling.ConditionAsync(() => Task.FromResult(Received().Count == 1), "sent");
        Assert.That(_sink.Output, Does.Not.Contain("Association Release"), "still open right after the send");
        await LuaPolling.ConditionAsync(() => Task.FromResult(_sink.Output.Contains("Association Release", StringComparison.Ordinal)), "released after the delay");
    }

    [Test]
    public async Task ConditionalRouting_ByTag_SendsOnlyWhatMatches()
    {
        await using var server = await ScriptedArchive.StartAsync(Settings(), ("route.lua", """
            function OnStoredInstance(id, tags)
              if tags.Modality == 'MR' then Delete(SendToModality(id, 'sink')) end
            end
            """));
        PydicomCorpus.Require();
        foreach (var file in new[] { "CT_small.dcm", "MR_small.dcm" })
            await server.UploadAsync(await File.ReadAllBytesAsync(PydicomCorpus.FullPath("test_files/" + file)));

        await LuaPolling.ConditionAsync(async () => Received().Count == 1 && await server.InstanceCountAsync() == 1, "the MR sent, the CT kept");
        Assert.That(Received()[0].Dataset.GetString(DicomTags.Modality), Is.EqualTo("MR"));
    }

    [Test]
    public async Task ModifyThenForward_SendsTheModifiedCopy_WithStringsKeptAsStrings()
    {
        await using var server = await ScriptedArchive.StartAsync(Settings(), ("route.lua", """
            function OnStoredInstance(id, tags, metadata, origin)
              if origin.RequestOrigin ~= 'Lua' then
                SendToModality(ModifyInstance(id, { InstitutionName = 'Routed', SeriesNumber = '077' }, { 'PatientComments' }, true), 'sink')
              end
            end
            """));
        var original = (await UploadCopiesAsync(server, 1))[0];

        await LuaPolling.ConditionAsync(() => Task.FromResult(Received().Count == 1), "the modified instance sent");
        var sent = Received()[0].Dataset;
        Assert.That((sent.GetString(DicomTags.InstitutionName), sent.GetString(DicomTags.SeriesNumber)), Is.EqualTo(("Routed", "077")),
            "Orthanc turns '077' into the number 77 and fails the modification");
        Assert.That(sent.GetString(DicomTags.SOPInstanceUID), Is.Not.EqualTo("1.2.826.0.1.3680043.10.1138.0"));
        var instances = JsonNode.Parse(await server.Http.GetStringAsync("instances"))!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.That(instances, Has.Count.EqualTo(2).And.Contains(original));
        var copy = instances.Single(i => i != original);
        Assert.That(await server.Http.GetStringAsync($"instances/{copy}/metadata/ModifiedFrom"), Is.EqualTo(original));
        Assert.That(await server.Http.GetStringAsync($"instances/{copy}/metadata/Origin"), Is.EqualTo("Lua"));
    }

    [TestCase("dead", "NetworkProtocol")]
    [TestCase("nowhere", "InexistentItem")]
    public async Task AFailedSend_FailsTheJob_KeepsTheInstance_AndOnJobFailureFires(string modality, string error)
    {
        await using var server = await ScriptedArchive.StartAsync(Settings(new JsonObject { ["DicomScuTimeout"] = 2 }), ("route.lua", $$"""
            failed = {}
            function OnStoredInstance(id) Delete(SendToModality(id, '{{modality}}')) end
            function OnJobFailure(id) table.insert(failed, id) end
            """));
        var id = (await UploadCopiesAsync(server, 1))[0];

        var failedJob = (await LuaPolling.UntilAsync(server, "print(failed[1])", o => o != "nil\n")).Trim();

        var job = JsonNode.Parse(await server.Http.GetStringAsync($"jobs/{failedJob}"))!;
        Assert.That((job["Type"]!.GetValue<string>(), job["State"]!.GetValue<string>()), Is.EqualTo(("SequenceOfOperations", "Failure")));
        Assert.That(job["ErrorCode"]!.GetValue<int>(), Is.EqualTo((int)Enum.Parse<Server.OrthancError>(error)));
        Assert.That((await server.Http.GetAsync($"instances/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "Orthanc deletes it anyway: silent data loss");
    }

    [Test]
    public async Task SendToPeer_IntoASecondInstanceOfOurs()
    {
        await using var peer = await ScriptedArchive.StartAsync();
        await using var server = await ScriptedArchive.StartAsync(new JsonObject
        {
            ["OrthancPeers"] = new JsonObject { ["other"] = new JsonArray($"http://127.0.0.1:{peer.Rest.Port}/") },
        }, ("route.lua", "function OnStoredInstance(id) Delete(SendToPeer(id, 'other')) end"));

        var ids = await UploadCopiesAsync(server, 3);

        await LuaPolling.ConditionAsync(async () => await peer.InstanceCountAsync() == 3 && await server.InstanceCountAsync() == 0, "all at the peer");
        var atPeer = JsonNode.Parse(await peer.Http.GetStringAsync("instances"))!.AsArray().Select(n => n!.GetValue<string>());
        Assert.That(atPeer, Is.EquivalentTo(ids), "same IDs: the same instances");
    }

    [Test]
    public async Task CallSystem_RunsTheCommandWithACopyOfTheFile()
    {
        var target = Path.Combine(_sink.Folder.FullName, "copied.dcm");
        await using var server = await ScriptedArchive.StartAsync(Settings(), ("route.lua", $$"""
            function OnStoredInstance(id) CallSystem(id, '/bin/sh', { '-c', 'cp "$0" {{target}}' }) end
            """));

        await UploadCopiesAsync(server, 1);

        await LuaPolling.ConditionAsync(() => Task.FromResult(File.Exists(target)), "the command ran");
        Assert.That(DicomFile.Open(target).Dataset.GetString(DicomTags.SOPInstanceUID), Is.EqualTo("1.2.826.0.1.3680043.10.1138.0"));
    }

    [Test]
    public async Task HelpersOutsideARoutingCallback_RecordNothing()
    {
        await using var server = await ScriptedArchive.StartAsync(Settings());
        var id = (await UploadCopiesAsync(server, 1))[0];

        Assert.That(await server.OutputAsync($"print(SendToModality('{id}', 'sink'), Delete('{id}'))"), Is.EqualTo($"{id}, nil\n"));
        await Task.Delay(500);

        Assert.That(await JobsAsync(server), Is.Empty);
        Assert.That((await server.Http.GetAsync($"instances/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("SendToModality(nil, 'sink')", "Cannot send a nonexistent resource")]
    [TestCase("Delete(nil)", "Cannot delete a nonexistent resource")]
    [TestCase("ModifyInstance(ModifyInstance('x', {}), {})", "Cannot modify twice an resource")]
    [TestCase("CallSystem('x')", "No command was specified for system call")]
    public async Task HelpersGivenNothing_RaiseOrthancsErrors(string call, string message)
    {
        await using var server = await ScriptedArchive.StartAsync();

        var (status, body) = await server.ExecuteAsync(call);

        Assert.That(status, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(body, Does.Contain(message));
    }
}
