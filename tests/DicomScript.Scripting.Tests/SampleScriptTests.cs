using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Scripting.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Scripting.Tests;

/// <summary>
/// Each script of <c>samples/lua</c>, as shipped, doing what its comment says against real peers
/// (storescp, findscu, a web service). A second script sets the sample's settings for the test,
/// as an administrator would edit them.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class SampleScriptTests
{
    private StoreScpSink _sink = null!;

    // Its port is known from the start; each test starts it when the modality should answer.
    [SetUp]
    public void Prepare()
    {
        PydicomCorpus.Require();
        _sink = new StoreScpSink(start: false);
    }

    [TearDown]
    public void Clean() => _sink.Dispose();

    private void StartSink() => _sink.Start();

    private JsonObject WithModalities(params string[] names)
    {
        var modalities = new JsonObject();
        foreach (var name in names)
            modalities[name] = new JsonArray(name.ToUpperInvariant().Replace("-", "", StringComparison.Ordinal), "127.0.0.1", _sink.Port);
        return new JsonObject { ["DicomModalities"] = modalities };
    }

    private List<DicomFile> Received() => _sink.Received();

    [Test]
    public async Task AutoRouting_SendsEveryInstance_AndDeletesIt()
    {
        StartSink();
        await using var server = await ScriptedArchive.StartAsync(WithModalities("pacs"), Samples.Script("auto-routing.lua"));

        for (var i = 0; i < 3; i++)
            await server.UploadAsync(SampleInstances.Copy(i));

        await LuaPolling.ConditionAsync(async () => await server.InstanceCountAsync() == 0, "every instance routed then deleted");
        Assert.That(Received().Select(f => f.Dataset.GetString(DicomTags.SOPInstanceUID)), Is.EquivalentTo(Enumerable.Range(0, 3).Select(i => $"1.2.826.0.1.3680043.10.1138.{i}")));
    }

    [Test]
    public async Task ConditionalRouting_SendsCtAndMrToTheirTargets_KeepsTheRest()
    {
        StartSink();
        await using var server = await ScriptedArchive.StartAsync(WithModalities("ct-archive", "mr-workstation"), Samples.Script("conditional-routing.lua"));

        await server.UploadAsync(SampleInstances.Original("CT_small.dcm"));
        await server.UploadAsync(SampleInstances.Original("MR_small.dcm"));
        var plan = await server.UploadAsync(SampleInstances.Original("rtplan.dcm"));

        await LuaPolling.ConditionAsync(async () => await server.InstanceCountAsync() == 1, "CT and MR routed then deleted");
        Assert.That(Received().Select(f => f.Dataset.GetString(DicomTags.Modality)), Is.EquivalentTo(new[] { "CT", "MR" }));
        Assert.That(JsonNode.Parse(await server.Http.GetStringAsync("instances"))!.AsArray().Single()!.GetValue<string>(), Is.EqualTo(plan), "the RT plan stays");
    }

    [Test]
    public async Task ModifyThenForward_SendsTheModifiedCopy_AndDeletesBoth()
    {
        StartSink();
        await using var server = await ScriptedArchive.StartAsync(WithModalities("pacs"), Samples.Script("modify-then-forward.lua"));
        var original = DicomFile.Parse(SampleInstances.Copy(5)).Dataset;

        await server.UploadAsync(SampleInstances.Copy(5));

        await LuaPolling.ConditionAsync(async () => Received().Count == 1 && await server.InstanceCountAsync() == 0, "the copy sent, both deleted");
        var sent = Received().Single().Dataset;
        Assert.That(sent.GetString(DicomTags.InstitutionName), Is.EqualTo("DicomScript Hospital"));
        Assert.That(original.Contains(DicomTags.OtherPatientIDsSequence), Is.True, "the test needs a tag to remove");
        Assert.That(sent.Contains(DicomTags.OtherPatientIDsSequence), Is.False);
        Assert.That(sent.GetString(DicomTags.SOPInstanceUID), Is.Not.EqualTo(original.GetString(DicomTags.SOPInstanceUID)), "a modified copy");
        Assert.That(sent.GetString(DicomTags.PatientID), Is.EqualTo(original.GetString(DicomTags.PatientID)));
    }

    [Test]
    public async Task ForwardWithRetry_ResendsAtTheNextHeartbeat_OnceThePacsIsBack()
    {
        var settings = WithModalities("pacs");
        settings["LuaHeartBeatPeriod"] = 1;
        await using var server = await ScriptedArchive.StartAsync(settings, Samples.Script("forward-with-retry.lua"));

        await server.UploadAsync(SampleInstances.Copy(7)); // the PACS is down: the job fails
        await LuaPolling.UntilAsync(server, "print(next(attempts) ~= nil)", o => o == "true\n");
        Assert.That(await server.InstanceCountAsync(), Is.EqualTo(1), "kept while it could not be sent");
        StartSink();

        await LuaPolling.ConditionAsync(async () => await server.InstanceCountAsync() == 0, "sent at a later heartbeat, then deleted");
        Assert.That(Received().Single().Dataset.GetString(DicomTags.SOPInstanceUID), Is.EqualTo("1.2.826.0.1.3680043.10.1138.7"));
    }

    [Test]
    public async Task CFindQueryFixing_PrefixSearchForTheOldScanner_AndThePrivateKeyDropped()
    {
        var findscu = ExternalTools.Require("findscu", "dcmtk");
        await using var server = await ScriptedArchive.StartAsync(new JsonObject { ["DicomServerEnabled"] = true, ["DicomPort"] = 0, ["DicomAlwaysAllowFind"] = true },
            Samples.Script("cfind-query-fixing.lua"));
        await server.UploadAsync(SampleInstances.Original("CT_small.dcm"));
        await server.UploadAsync(SampleInstances.Original("MR_small.dcm"));
        var port = server.Archive.DicomPort;
        string[] byName = ["-S", "QueryRetrieveLevel=STUDY", "StudyInstanceUID", "PatientName=CompressedSamples"];

        Assert.That(FindScu.Query(findscu, port, byName, "OLDSCANNER"), Has.Count.EqualTo(2), "a prefix search for the old scanner");
        Assert.That(FindScu.Query(findscu, port, byName, "VIEWER"), Is.Empty, "an exact match for the others");
        Assert.That(FindScu.Query(findscu, port, ["-S", "QueryRetrieveLevel=STUDY", "StudyInstanceUID", "5555,0010=X"], "VIEWER"), Has.Count.EqualTo(2),
            "the private key is no constraint");
    }

    [Test]
    public async Task HttpAccessControl_EveryoneReads_OnlyAdminsChange()
    {
        await using var server = await ScriptedArchive.StartAsync(new JsonObject
        {
            ["AuthenticationEnabled"] = true,
            ["RegisteredUsers"] = new JsonObject { ["alice"] = "alice-password", ["admin"] = "admin-password" },
        }, Samples.Script("http-access-control.lua"));
        using var alice = Client(server, "alice");
        using var admin = Client(server, "admin");

        Assert.That((await alice.GetAsync("system")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await alice.PostAsync("instances", new ByteArrayContent(SampleInstances.Original("CT_small.dcm")))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await admin.PostAsync("instances", new ByteArrayContent(SampleInstances.Original("CT_small.dcm")))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await alice.DeleteAsync("patients/x")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    private static HttpClient Client(ScriptedArchive server, string user)
    {
        var client = new HttpClient { BaseAddress = server.Http.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{user}-password")));
        return client;
    }

    [Test]
    public async Task WebhookOnStableStudy_PostsTheStudySummary()
    {
        using var service = new WebService();
        await using var server = await ScriptedArchive.StartAsync(new JsonObject { ["StableAge"] = 1 },
            Samples.Script("webhook-on-stable-study.lua"), ("settings.lua", $"WEBHOOK_URL = '{service.Url}study-complete'"));
        var instance = await server.UploadAsync(SampleInstances.Original("CT_small.dcm"));
        var study = JsonNode.Parse(await server.Http.GetStringAsync($"instances/{instance}/study"))!;

        await LuaPolling.ConditionAsync(() => Task.FromResult(!service.Received.IsEmpty), "the webhook called");
        var request = service.Received.Single();
        Assert.That((request.Method, request.Path, request.Headers["Content-Type"]), Is.EqualTo(("POST", "/study-complete", "application/json")));
        var body = JsonNode.Parse(request.Body)!;
        Assert.That(body["ID"]!.GetValue<string>(), Is.EqualTo(study["ID"]!.GetValue<string>()));
        Assert.That(body["StudyInstanceUID"]!.GetValue<string>(), Is.EqualTo(study["MainDicomTags"]!["StudyInstanceUID"]!.GetValue<string>()));
        Assert.That(body["PatientID"]!.GetValue<string>(), Is.EqualTo(study["PatientMainDicomTags"]!["PatientID"]!.GetValue<string>()));
        Assert.That(body["SeriesCount"]!.GetValue<string>(), Is.EqualTo("1"), "keepStrings: every value a string");
        Assert.That(body["StudyDate"]!.GetValue<string>(), Is.EqualTo(study["MainDicomTags"]!["StudyDate"]!.GetValue<string>()));
    }

    [Test]
    public async Task HeartbeatHousekeeping_DeletesOldStudies_ButNotThoseOfProtectedPatients()
    {
        // First nothing is old enough; then KEEP_DAYS = -1 puts the cutoff a day ahead: every study is.
        await using var server = await ScriptedArchive.StartAsync(new JsonObject { ["LuaHeartBeatPeriod"] = 1 },
            Samples.Script("heartbeat-housekeeping.lua"), ("settings.lua", "KEEP_DAYS = 1000000"));
        var ct = await server.UploadAsync(SampleInstances.Original("CT_small.dcm"));
        var mr = await server.UploadAsync(SampleInstances.Original("MR_small.dcm"));
        var mrPatient = JsonNode.Parse(await server.Http.GetStringAsync($"instances/{mr}/patient"))!["ID"]!.GetValue<string>();
        using (var protect = await server.Http.PutAsync($"patients/{mrPatient}/protected", new StringContent("1")))
            Assert.That(protect.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await Task.Delay(2500);
        Assert.That(await server.InstanceCountAsync(), Is.EqualTo(2), "nothing is 1,000,000 days old");

        await server.OutputAsync("KEEP_DAYS = -1");

        await LuaPolling.ConditionAsync(async () => await server.InstanceCountAsync() == 1, "the unprotected study deleted");
        Assert.That(JsonNode.Parse(await server.Http.GetStringAsync("instances"))!.AsArray().Single()!.GetValue<string>(), Is.EqualTo(mr));
        Assert.That((await server.Http.GetAsync($"instances/{ct}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
