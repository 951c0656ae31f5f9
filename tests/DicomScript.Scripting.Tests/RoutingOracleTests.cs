using System.Text.Json.Nodes;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Scripting.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Scripting.Tests;

/// <summary>
/// The same routing script (the conditional-routing sample) in the real Orthanc 1.10.1 and in ours,
/// each routing into a storescp of its own: the same instances must arrive, with the same content,
/// and the same must stay behind.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RoutingOracleTests
{
    private static readonly string[] CorpusFiles = ["test_files/CT_small.dcm", "test_files/MR_small.dcm", "test_files/rtplan.dcm"];

    [Test]
    public async Task ConditionalRouting_SameInstancesArrive_AsWithOrthanc()
    {
        ExternalTools.Require("/usr/sbin/Orthanc", "orthanc");
        PydicomCorpus.Require();
        var folder = Directory.CreateTempSubdirectory("routing-oracle-");
        try
        {
            using var theirSink = new StoreScpSink();
            using var ourSink = new StoreScpSink();
            var sample = Samples.Script("conditional-routing.lua");
            var settings = ("settings.lua", "ROUTES = { CT = 'archive', MR = 'archive' }");
            var scripts = new[] { sample, settings }.Select(s =>
            {
                var path = Path.Combine(folder.FullName, s.Item1);
                File.WriteAllText(path, s.Item2);
                return (JsonNode)path;
            });
            using var orthanc = OrthancServer.Start(new JsonObject
            {
                ["LuaScripts"] = new JsonArray([.. scripts]),
                ["DicomModalities"] = new JsonObject { ["archive"] = new JsonArray("ARCHIVE", "127.0.0.1", theirSink.Port) },
            });
            await using var ours = await ScriptedArchive.StartAsync(
                new JsonObject { ["DicomModalities"] = new JsonObject { ["archive"] = new JsonArray("ARCHIVE", "127.0.0.1", ourSink.Port) } }, sample, settings);

            var files = CorpusFiles.Select(f => File.ReadAllBytes(PydicomCorpus.FullPath(f))).Concat(Enumerable.Range(1, 3).Select(i => SampleInstances.Copy(i))).ToList();
            foreach (var file in files)
            {
                Assert.That(orthanc.Upload(file).Id, Is.Not.Null);
                await ours.UploadAsync(file);
            }

            // The RT plan has no route: one instance stays in each.
            for (var i = 0; i < 600 && (orthanc.GetJson("instances").AsArray().Count > 1 || await ours.InstanceCountAsync() > 1); i++)
                await Task.Delay(100);
            var theirs = Received(theirSink);
            var received = Received(ourSink);

            Assert.That(theirs.Keys, Has.Count.EqualTo(files.Count - 1), "Orthanc routed every CT and MR");
            Assert.That(received.Keys, Is.EquivalentTo(theirs.Keys));
            foreach (var (uid, dataset) in theirs)
                Assert.That(DatasetComparer.Differences(dataset, received[uid], compareVRs: false), Is.Empty, uid);
            Assert.That(JsonNode.DeepEquals(await InstanceTagsAsync(ours), InstanceTags(orthanc)), Is.True, "the same instance stays behind");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static Dictionary<string, Dicom.Data.DicomDataset> Received(StoreScpSink sink) =>
        sink.Received().Select(f => f.Dataset).ToDictionary(d => d.GetString(DicomTags.SOPInstanceUID)!, StringComparer.Ordinal);

    private static JsonArray InstanceTags(OrthancServer orthanc) =>
        new JsonArray([.. orthanc.GetJson("instances").AsArray().Select(id => orthanc.GetJson($"instances/{id}/simplified-tags")["SOPInstanceUID"]!.DeepClone())]);

    private static async Task<JsonArray> InstanceTagsAsync(ScriptedArchive ours)
    {
        var uids = new JsonArray();
        foreach (var id in JsonNode.Parse(await ours.Http.GetStringAsync("instances"))!.AsArray())
            uids.Add(JsonNode.Parse(await ours.Http.GetStringAsync($"instances/{id}/simplified-tags"))!["SOPInstanceUID"]!.DeepClone());
        return uids;
    }
}
