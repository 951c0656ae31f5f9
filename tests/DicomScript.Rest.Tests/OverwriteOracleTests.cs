using System.Net;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Rest.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Rest.Tests;

/// <summary>
/// <c>OverwriteInstances</c> against the real Orthanc 1.10.1: a second copy replaces the first as
/// a deletion would remove it, parents left empty included, so /changes and the patient's
/// protection read the same on both afterwards.
/// </summary>
[TestFixture]
[NonParallelizable]
public class OverwriteOracleTests
{
    private static async Task<string> UploadAsync(HttpClient client, string file)
    {
        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(PydicomCorpus.FullPath(file)));
        using var response = await client.PostAsync("instances", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        return body;
    }

    // Each change as (Seq, ChangeType, ResourceType, ID).
    private static async Task<List<string>> ChangesAsync(HttpClient client)
    {
        var changes = (JsonArray)JsonNode.Parse(await client.GetStringAsync("changes?limit=100"))!["Changes"]!;
        return [.. changes.Select(c => $"{c!["Seq"]} {c["ChangeType"]} {c["ResourceType"]} {c["ID"]}")];
    }

    private static async Task WaitForStablePatientAsync(HttpClient client)
    {
        for (var attempt = 0; attempt < 100 && !(await ChangesAsync(client)).Any(c => c.Contains(" StablePatient ")); attempt++)
            await Task.Delay(100);
    }

    [Test]
    public async Task OnlyInstanceOverwritten_ItsStableAndProtectedPatientIsReplaced_AsOrthanc()
    {
        PydicomCorpus.Require();
        var settings = new JsonObject { ["OverwriteInstances"] = true, ["StableAge"] = 1 };
        using var orthanc = OrthancServer.Start(settings);
        await using var ours = await RestArchive.StartAsync(settings);
        var answers = new List<JsonNode>();
        var changes = new List<List<string>>();
        var protection = new List<string>();
        foreach (var client in new[] { ours.Http, orthanc.Http })
        {
            var patient = JsonNode.Parse(await UploadAsync(client, "test_files/CT_small.dcm"))!["ParentPatient"]!.GetValue<string>();
            await WaitForStablePatientAsync(client);
            using (var protect = await client.PutAsync($"patients/{patient}/protected", new StringContent("1")))
                Assert.That(protect.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            answers.Add(JsonNode.Parse(await UploadAsync(client, "test_files/CT_small.dcm"))!);
            // Read at once, before the new copy's parents become stable (StableAge is 1 s).
            changes.Add(await ChangesAsync(client));
            protection.Add(await client.GetStringAsync($"patients/{patient}/protected"));
        }

        Assert.That(JsonDiff.Differences(answers[0], answers[1]), Is.Empty);
        Assert.That(changes[0], Is.EqualTo(changes[1]));
        Assert.That(changes[0], Has.Count.EqualTo(4), "NewInstance, NewSeries, NewStudy and NewPatient again; the Stable* of the first copy are gone");
        Assert.That(protection[0], Is.EqualTo(protection[1]).And.EqualTo("0"), "a new patient");
        Assert.That(ours.Archive.Storage.AllUuids().Count(), Is.EqualTo(1), "the first copy's file is removed");
    }

    [Test]
    public async Task OneOfTwoInstancesOverwritten_TheSeriesStays_AsOrthanc()
    {
        PydicomCorpus.Require();
        var settings = new JsonObject { ["OverwriteInstances"] = true };
        using var orthanc = OrthancServer.Start(settings);
        await using var ours = await RestArchive.StartAsync(settings);
        // Two instances of one series.
        string[] files = ["test_files/dicomdirtests/98892003/MR700/4467", "test_files/dicomdirtests/98892003/MR700/4648", "test_files/dicomdirtests/98892003/MR700/4467"];
        foreach (var client in new[] { ours.Http, orthanc.Http })
        {
            foreach (var file in files)
                await UploadAsync(client, file);
        }

        var ourChanges = await ChangesAsync(ours.Http);
        Assert.That(ourChanges, Is.EqualTo(await ChangesAsync(orthanc.Http)));
        Assert.That(ourChanges, Has.Count.EqualTo(5), "the series, study and patient keep their changes");
    }
}
