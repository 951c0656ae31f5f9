using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Scripting.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Scripting.Tests;

/// <summary>The event callbacks: their arguments as Orthanc gives them, their order, Initialize and Finalize, failures.</summary>
[TestFixture]
public sealed class EventCallbackTests
{
    private const string Recorder = """
        events = {}
        function Initialize() initializedCount = (initializedCount or 0) + 1 end
        function OnStoredInstance(id, tags, metadata, origin)
          table.insert(events, 'stored ' .. id)
          lastStored = { id = id, tags = tags, metadata = metadata, origin = origin }
        end
        function OnStableSeries(id, tags, metadata) table.insert(events, 'stable series ' .. id) lastStableSeries = { tags = tags, metadata = metadata } end
        function OnStableStudy(id, tags, metadata) table.insert(events, 'stable study ' .. id) lastStableStudy = { tags = tags, metadata = metadata } end
        function OnStablePatient(id, tags, metadata) table.insert(events, 'stable patient ' .. id) end
        function OnUpdatedInstance(id) table.insert(events, 'updated instance ' .. id) end
        function OnDeletedPatient(id) table.insert(events, 'deleted patient ' .. id) end
        function OnDeletedStudy(id) table.insert(events, 'deleted study ' .. id) end
        function OnDeletedSeries(id) table.insert(events, 'deleted series ' .. id) end
        function OnDeletedInstance(id) table.insert(events, 'deleted instance ' .. id) end
        function OnJobSubmitted(id) table.insert(events, 'job submitted ' .. id) end
        function OnJobSuccess(id) table.insert(events, 'job success ' .. id) end
        function OnJobFailure(id) table.insert(events, 'job failure ' .. id) end
        """;

    private static byte[] Sample(string name = "CT_small.dcm") => SampleInstances.Original(name);

    private static Task<string> EventsAsync(ScriptedArchive server, Func<string, bool> until) =>
        LuaPolling.UntilAsync(server, "for _, e in ipairs(events) do print(e) end", until);

    [Test]
    public async Task OnStoredInstance_GetsTheSimplifiedTagsWithoutNulls_TheMetadataByName_AndTheRestOrigin()
    {
        await using var server = await ScriptedArchive.StartAsync(null, ("recorder.lua", Recorder));

        var id = await server.UploadAsync(Sample());
        await EventsAsync(server, e => e.Contains("stored " + id, StringComparison.Ordinal));

        var tags = JsonNode.Parse(await server.OutputAsync("print(DumpJson(lastStored.tags, true))"))!;
        var expected = WithoutNulls(JsonNode.Parse(await server.Http.GetStringAsync($"instances/{id}/simplified-tags")));
        Assert.That(JsonNode.DeepEquals(tags, expected), Is.True, $"Lua: {tags}\nREST: {expected}");
        var facts = await server.OutputAsync("""
            local o, m = lastStored.origin, lastStored.metadata
            print(o.RequestOrigin, o.RemoteIp, '[' .. o.Username .. ']', o.RemoteAet, m.Origin, m.RemoteIP, m.TransferSyntax, m.IndexInSeries, #m.ReceptionDate)
            """);
        Assert.That(facts, Is.EqualTo("RestApi, 127.0.0.1, [], nil, RestApi, 127.0.0.1, 1.2.840.10008.1.2.1, 1, 15\n"));
    }

    // A callback that declares only `id` is not given the tags, so its instance's file is not even
    // read: here a folder takes the file's place before the event is delivered, which fails any read
    // of it, and the callback still runs.
    [Test]
    public async Task OnStoredInstance_DeclaringOnlyTheId_DoesNotReadTheFile()
    {
        await using var server = await ScriptedArchive.StartAsync(null, ("id-only.lua", "function OnStoredInstance(id) seen = id end"));

        var id = await StoreWithUnreadableFileAsync(server);

        var seen = await LuaPolling.UntilAsync(server, "if seen then print(seen) end", s => s.Length > 0);
        Assert.That(seen, Is.EqualTo(id + "\n"));
    }

    // A file that cannot be read (here a folder in its place) fails that event's delivery, logged;
    // the event thread goes on with the next one.
    [Test]
    public async Task OnStoredInstance_WithTags_AnUnreadableFileSkipsThatEventOnly()
    {
        await using var server = await ScriptedArchive.StartAsync(null, ("tags.lua", "seen = {} function OnStoredInstance(id, tags) table.insert(seen, tags.SOPInstanceUID) end"));

        await StoreWithUnreadableFileAsync(server);
        await server.UploadAsync(Sample("MR_small.dcm"));

        var seen = await LuaPolling.UntilAsync(server, "print(#seen, seen[1])", s => s != "0, nil\n");
        Assert.That(seen, Is.EqualTo("1, 1.3.6.1.4.1.5962.1.1.4.1.1.20040826185059.5457\n"));
    }

    // Stores an instance while an execute-script holds the Lua state (so its event waits), and puts a
    // folder in place of its file before the event is delivered; the file the ingest kept in memory
    // is dropped, as when events lag far behind, so the event reads the disk.
    private static async Task<string> StoreWithUnreadableFileAsync(ScriptedArchive server)
    {
        var busy = server.ExecuteAsync("local t = os.clock() while os.clock() - t < 2 do end");
        await Task.Delay(300);
        var id = await server.UploadAsync(Sample());
        var uuid = server.Archive.Index.GetDicomFile(id)!.Uuid;
        Assert.That(server.Archive.Ingest.RecentlyStored.Take(uuid), Is.Not.Null);
        var path = server.Archive.Storage.PathOf(uuid);
        File.Delete(path);
        Directory.CreateDirectory(path);
        Assert.That((await busy).Status, Is.EqualTo(HttpStatusCode.OK));
        return id;
    }

    // Tags are built only for a function that can see them; one taking `...` can.
    [Test]
    public async Task OnStoredInstance_WithVarargs_GetsTheTagsToo()
    {
        await using var server = await ScriptedArchive.StartAsync(null, ("varargs.lua", """
            function OnStoredInstance(...) local id, tags, metadata = ... seen = id .. ' ' .. tags.SOPInstanceUID .. ' ' .. metadata.Origin end
            """));

        var id = await server.UploadAsync(Sample());
        var seen = await LuaPolling.UntilAsync(server, "if seen then print(seen) end", s => s.Length > 0);
        Assert.That(seen, Is.EqualTo($"{id} 1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322 RestApi\n"));
    }

    // What Lua's tags hold: the simplified tags minus nulls (binary and long values); an empty
    // object becomes [] as every Lua table without keys.
    private static JsonNode WithoutNulls(JsonNode? node) => node switch
    {
        JsonObject o when !o.Any(p => p.Value is not null) => new JsonArray(),
        JsonObject o => new JsonObject(o.Where(p => p.Value is not null).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)WithoutNulls(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(WithoutNulls)]),
        _ => node!.DeepClone(),
    };

    [Test]
    public async Task OnStoredInstance_FromDicom_HasTheAssociationsAets()
    {
        var storescu = ExternalTools.Require("storescu", "dcmtk");
        PydicomCorpus.Require();
        await using var server = await ScriptedArchive.StartAsync(new JsonObject { ["DicomServerEnabled"] = true, ["DicomPort"] = 0 }, ("recorder.lua", Recorder));

        var sent = ExternalTools.Run(storescu, ["-aet", "MODALITY", "-aec", "ORTHANC", "127.0.0.1",
            server.Archive.DicomPort.ToString(CultureInfo.InvariantCulture), PydicomCorpus.FullPath("test_files/CT_small.dcm")]);
        Assert.That(sent.ExitCode, Is.Zero, sent.Error);

        var origin = await LuaPolling.UntilAsync(server,
            "if lastStored then local o = lastStored.origin print(o.RequestOrigin, o.RemoteIp, o.RemoteAet, o.CalledAet, lastStored.metadata.RemoteAET) end",
            o => o.Length > 0);
        Assert.That(origin, Is.EqualTo("DicomProtocol, 127.0.0.1, MODALITY, ORTHANC, MODALITY\n"));
    }

    [Test]
    public async Task Events_ArriveInTheOrderOfTheChanges_AndAFailingCallbackDoesNotStopTheNext()
    {
        await using var server = await ScriptedArchive.StartAsync(null, ("recorder.lua", Recorder + "\n" + """
            local record = OnStoredInstance
            function OnStoredInstance(id, tags, metadata, origin)
              record(id, tags, metadata, origin)
              if tags.Modality == 'CT' then error('this one fails') end
            end
            """));
        var files = new[] { "CT_small.dcm", "MR_small.dcm", "rtplan.dcm" };
        var ids = new List<string>();
        foreach (var file in files)
            ids.Add(await server.UploadAsync(Sample(file)));

        var events = await EventsAsync(server, e => e.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length >= 3);

        Assert.That(events, Is.EqualTo(string.Concat(ids.Select(id => $"stored {id}\n"))));
        Assert.That(server.LuaLog.Lines, Has.One.StartsWith("Error: Lua: OnStoredInstance failed: recorder.lua:").And.Contains("this one fails"),
            "logged under the callback's name, with the script's place");
    }

    [Test]
    public async Task OnStable_GetTheLevelsMainTags_AndItsMetadata_OnceTheResourceIsStable()
    {
        await using var server = await ScriptedArchive.StartAsync(new JsonObject { ["StableAge"] = 1 }, ("recorder.lua", Recorder));
        var id = await server.UploadAsync(Sample());
        var instance = JsonNode.Parse(await server.Http.GetStringAsync($"instances/{id}"))!;
        var seriesId = instance["ParentSeries"]!.GetValue<string>();
        var studyId = JsonNode.Parse(await server.Http.GetStringAsync($"series/{seriesId}"))!["ParentStudy"]!.GetValue<string>();

        await EventsAsync(server, e => e.Contains("stable series", StringComparison.Ordinal) && e.Contains("stable study", StringComparison.Ordinal)
            && e.Contains("stable patient", StringComparison.Ordinal));
        var seriesTags = JsonNode.Parse(await server.OutputAsync("print(DumpJson(lastStableSeries.tags, true))"))!;
        var studyTags = JsonNode.Parse(await server.OutputAsync("print(DumpJson(lastStableStudy.tags, true))"))!;
        var metadata = await server.OutputAsync("print(lastStableSeries.metadata.LastUpdate ~= nil, lastStableStudy.tags.PatientID)");

        var restSeries = JsonNode.Parse(await server.Http.GetStringAsync($"series/{seriesId}"))!["MainDicomTags"];
        var restStudy = JsonNode.Parse(await server.Http.GetStringAsync($"studies/{studyId}"))!["MainDicomTags"];
        Assert.That(JsonNode.DeepEquals(seriesTags, restSeries), Is.True, $"Lua: {seriesTags}\nREST: {restSeries}");
        Assert.That(JsonNode.DeepEquals(studyTags, restStudy), Is.True, $"Lua: {studyTags}\nREST: {restStudy}");
        Assert.That(metadata, Is.EqualTo("true, nil\n"), "a study's tags come without the patient's");
    }

    [Test]
    public async Task OnUpdatedInstance_FollowsAMetadataChange()
    {
        await using var server = await ScriptedArchive.StartAsync(null, ("recorder.lua", Recorder));
        var id = await server.UploadAsync(Sample());

        using var put = await server.Http.PutAsync($"instances/{id}/metadata/1024", new StringContent("x"));
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        await EventsAsync(server, e => e.Contains("updated instance " + id, StringComparison.Ordinal));
    }

    [Test]
    public async Task OnStoredInstance_FiresAgainForACopyAlreadyStored_AsOrthanc()
    {
        await using var server = await ScriptedArchive.StartAsync(null, ("recorder.lua", Recorder));
        var id = await server.UploadAsync(Sample());
        var (status, body) = await server.PostInstanceAsync(Sample());
        Assert.That((status, body?["Status"]?.GetValue<string>()), Is.EqualTo((HttpStatusCode.OK, "AlreadyStored")));

        var events = await EventsAsync(server, e => e.Split('\n').Count(l => l == "stored " + id) == 2);
        Assert.That(events.Split('\n').Count(l => l == "stored " + id), Is.EqualTo(2));
    }

    [Test]
    public async Task OnDeleted_FiresForTheInstanceAlone_ThenTopDownForTheLastInstanceOfAPatient()
    {
        await using var server = await ScriptedArchive.StartAsync(null, ("recorder.lua", Recorder));
        var first = await server.UploadAsync(SampleInstances.Copy(1));
        var last = await server.UploadAsync(SampleInstances.Copy(2));
        async Task<string> Parent(string level) => JsonNode.Parse(await server.Http.GetStringAsync($"instances/{last}/{level}"))!["ID"]!.GetValue<string>();
        var (series, study, patient) = (await Parent("series"), await Parent("study"), await Parent("patient"));

        using (var deleteFirst = await server.Http.DeleteAsync($"instances/{first}"))
            Assert.That(deleteFirst.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using (var deleteLast = await server.Http.DeleteAsync($"instances/{last}"))
            Assert.That(deleteLast.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var events = await EventsAsync(server, e => e.Contains("deleted instance " + last, StringComparison.Ordinal));
        var deletions = events.Split('\n').Where(e => e.StartsWith("deleted", StringComparison.Ordinal));
        Assert.That(deletions, Is.EqualTo(new[]
        {
            "deleted instance " + first,
            "deleted patient " + patient, "deleted study " + study, "deleted series " + series, "deleted instance " + last,
        }));
    }

    // Without an OnDeleted* callback, deletions are not even logged (a routing script deletes every
    // instance it forwards); an OnDeletedInstance defined later by execute-script hears the next ones.
    [Test]
    public async Task Deletions_AreLoggedOnlyWhileAScriptDefinesAnOnDeletedCallback()
    {
        await using var server = await ScriptedArchive.StartAsync(null, ("stored.lua", "function OnStoredInstance(id) end"));
        var first = await server.UploadAsync(SampleInstances.Copy(1));
        var second = await server.UploadAsync(SampleInstances.Copy(2));
        var before = server.Archive.Index.LastEventSequences().Event;

        using (var delete = await server.Http.DeleteAsync($"instances/{first}"))
            Assert.That(delete.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((server.Archive.Index.LogsDeletions, server.Archive.Index.LastEventSequences().Event), Is.EqualTo((false, before)));

        var (status, _) = await server.ExecuteAsync("deleted = {} function OnDeletedInstance(id) table.insert(deleted, id) end");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        using (var delete = await server.Http.DeleteAsync($"instances/{second}"))
            Assert.That(delete.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var heard = await LuaPolling.UntilAsync(server, "for _, id in ipairs(deleted) do print(id) end", output => output.Contains(second, StringComparison.Ordinal));
        Assert.That(heard, Is.EqualTo(second + "\n"), "only the deletion made once the callback existed");
    }

    // The ingest keeps what it has just parsed only for an OnStoredInstance that reads it again.
    [Test]
    public async Task StoredFiles_AreKeptInMemoryOnlyWhileAScriptDefinesOnStoredInstance()
    {
        await using var server = await ScriptedArchive.StartAsync(null, ("stable.lua", "function OnStableStudy(id) end"));
        Assert.That(server.Archive.Ingest.RecentlyStored.Enabled, Is.False);

        var (defined, _) = await server.ExecuteAsync("function OnStoredInstance(id, tags) seen = tags['SOPInstanceUID'] end");
        Assert.That(defined, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(server.Archive.Ingest.RecentlyStored.Enabled, Is.True);
        var sample = Sample();
        await server.UploadAsync(sample);
        var seen = await LuaPolling.UntilAsync(server, "print(seen)", output => output != "nil\n");
        Assert.That(seen, Is.EqualTo(DicomFile.Parse(sample).Dataset.GetString(DicomTags.SOPInstanceUID) + "\n"), "the tags come from the kept file");

        var (removed, _) = await server.ExecuteAsync("OnStoredInstance = nil");
        Assert.That(removed, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(server.Archive.Ingest.RecentlyStored.Enabled, Is.False);
    }

    [Test]
    public async Task OnJobSubmittedAndOnJobSuccess_NameTheJob()
    {
        await using var server = await ScriptedArchive.StartAsync(null, ("recorder.lua", Recorder));
        var id = await server.UploadAsync(Sample());
        var seriesId = JsonNode.Parse(await server.Http.GetStringAsync($"instances/{id}"))!["ParentSeries"]!.GetValue<string>();

        using var modify = await server.Http.PostAsync($"series/{seriesId}/modify", new StringContent("""{"Replace":{"SeriesDescription":"changed"}}""", Encoding.UTF8, "application/json"));
        Assert.That(modify.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var jobs = JsonNode.Parse(await server.Http.GetStringAsync("jobs"))!.AsArray().Select(j => j!.GetValue<string>()).ToList();

        var events = await EventsAsync(server, e => e.Contains("job success", StringComparison.Ordinal));
        Assert.That(jobs, Has.Count.EqualTo(1));
        Assert.That(events, Does.Contain($"job submitted {jobs[0]}\n").And.Contain($"job success {jobs[0]}\n"));
    }

    [Test]
    public async Task Initialize_RunsOnceAtStart_AndFinalizeAtStop()
    {
        var marker = Path.Combine(Path.GetTempPath(), $"finalize-{Guid.NewGuid():N}.txt");
        try
        {
            var server = await ScriptedArchive.StartAsync(null, ("recorder.lua", Recorder + "\n" + $$"""
                function Finalize() local f = io.open('{{marker}}', 'w') f:write('finalized ' .. initializedCount) f:close() end
                """));
            await LuaPolling.UntilAsync(server, "print(initializedCount)", o => o == "1\n");

            await server.DisposeAsync();

            Assert.That(File.ReadAllText(marker), Is.EqualTo("finalized 1"));
        }
        finally
        {
            File.Delete(marker);
        }
    }

    // With no callback for them the events are passed over, unread: the backlog empties, and a
    // callback defined afterwards starts from there, as on a first start.
    [Test]
    public async Task WithoutCallbacks_EventsArePassedOver_NotDeliveredToACallbackDefinedLater()
    {
        await using var server = await ScriptedArchive.StartAsync();
        var before = await server.UploadAsync(Sample());
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await LuaPolling.PendingEventsAsync(server.Http) > 0 && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        Assert.That(await LuaPolling.PendingEventsAsync(server.Http), Is.Zero);

        await server.OutputAsync("seen = {} function OnStoredInstance(id) table.insert(seen, id) end");
        var after = await server.UploadAsync(Sample("MR_small.dcm"));

        await LuaPolling.UntilAsync(server, "print(#seen, seen[1])", o => o == $"1, {after}\n");
        Assert.That(before, Is.Not.EqualTo(after));
    }

    [Test]
    public async Task ACallbackDefinedThroughExecuteScript_ReceivesLaterEvents()
    {
        await using var server = await ScriptedArchive.StartAsync();
        await server.OutputAsync("seen = {} function OnStoredInstance(id) table.insert(seen, id) end");

        var id = await server.UploadAsync(Sample());

        await LuaPolling.UntilAsync(server, "print(seen[1])", o => o == id + "\n");
    }

    [Test]
    public async Task OnHeartBeat_BeatsEveryPeriod_AndAnErrorDoesNotStopIt()
    {
        await using var server = await ScriptedArchive.StartAsync(new JsonObject { ["LuaHeartBeatPeriod"] = 1 }, ("beat.lua", """
            beats = 0
            function OnHeartBeat()
              beats = beats + 1
              if beats == 1 then error('first beat fails') end
            end
            """));

        await LuaPolling.UntilAsync(server, "print(beats >= 3)", o => o == "true\n");
    }

    [Test]
    public async Task OnHeartBeat_DoesNotBeatWithoutAPeriod()
    {
        await using var server = await ScriptedArchive.StartAsync(null, ("beat.lua", "beats = 0 function OnHeartBeat() beats = beats + 1 end"));

        await Task.Delay(1500);

        Assert.That(await server.OutputAsync("print(beats)"), Is.EqualTo("0\n"));
    }
}
