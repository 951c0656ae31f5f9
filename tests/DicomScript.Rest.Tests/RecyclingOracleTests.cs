using System.Net;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Rest.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Rest.Tests;

/// <summary>
/// MaximumPatientCount, MaximumStorageSize and protected patients against the real Orthanc 1.10.1:
/// the corpus uploaded to both in the same order leaves the same patients and instances, and a
/// full archive refuses an upload the same way.
/// </summary>
[TestFixture]
[NonParallelizable]
public class RecyclingOracleTests
{
    private static IEnumerable<string> Corpus() => PydicomCorpus.ValidFiles().Where(f => !PydicomCorpus.DcmdumpCannotRead.Contains(f));

    private static async Task<(HttpStatusCode Status, string Body)> UploadAsync(HttpClient client, string file)
    {
        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(PydicomCorpus.FullPath(file)));
        using var response = await client.PostAsync("instances", content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task PutAsync(HttpClient client, string path, string body)
    {
        using var content = new StringContent(body);
        using var response = await client.PutAsync(path, content);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
    }

    private static async Task<List<string>> ListAsync(HttpClient client, string level) =>
        [.. ((JsonArray)JsonNode.Parse(await client.GetStringAsync(level))!).Select(n => n!.GetValue<string>())];

    [TestCase("MaximumPatientCount", 3)]
    [TestCase("MaximumStorageSize", 1)]
    public async Task Limit_CorpusUploaded_SameRemainsAsOrthanc(string key, int value)
    {
        PydicomCorpus.Require();
        var settings = new JsonObject { [key] = value };
        using var orthanc = OrthancServer.Start(settings);
        await using var ours = await RestArchive.StartAsync(settings);

        string? protectedPatient = null;
        foreach (var file in Corpus())
        {
            var (status, body) = await UploadAsync(ours.Http, file);
            var (theirStatus, _) = await UploadAsync(orthanc.Http, file);
            Assert.That(status, Is.EqualTo(theirStatus), file);
            if (protectedPatient is null && status == HttpStatusCode.OK)
            {
                // The first patient is protected at once: it must survive everything that follows.
                protectedPatient = JsonNode.Parse(body)!["ParentPatient"]!.GetValue<string>();
                await PutAsync(ours.Http, $"patients/{protectedPatient}/protected", "1");
                await PutAsync(orthanc.Http, $"patients/{protectedPatient}/protected", "1");
            }
        }

        foreach (var level in new[] { "patients", "studies", "series", "instances" })
            Assert.That(await ListAsync(ours.Http, level), Is.EquivalentTo(await ListAsync(orthanc.Http, level)), level);
        Assert.That(JsonDiff.Differences(JsonNode.Parse(await ours.Http.GetStringAsync("statistics")), JsonNode.Parse(await orthanc.Http.GetStringAsync("statistics"))),
            Is.Empty);
        Assert.That(await ListAsync(ours.Http, "patients"), Does.Contain(protectedPatient));
        Assert.That(await ours.Http.GetStringAsync($"patients/{protectedPatient}/protected"), Is.EqualTo("1"));
        Assert.That(await orthanc.Http.GetStringAsync($"patients/{protectedPatient}/protected"), Is.EqualTo("1"));
        Assert.That(ours.Archive.Storage.AllUuids().Count(), Is.EqualTo(ours.Archive.Index.Statistics().Instances), "recycled files removed");
    }

    [Test]
    public async Task Full_OnlyPatientProtected_UploadRefusedAsOrthanc()
    {
        PydicomCorpus.Require();
        var settings = new JsonObject { ["MaximumPatientCount"] = 1 };
        using var orthanc = OrthancServer.Start(settings);
        await using var ours = await RestArchive.StartAsync(settings);
        foreach (var client in new[] { ours.Http, orthanc.Http })
        {
            var (_, body) = await UploadAsync(client, "test_files/CT_small.dcm");
            await PutAsync(client, $"patients/{JsonNode.Parse(body)!["ParentPatient"]!.GetValue<string>()}/protected", "1");
        }

        var (status, answer) = await UploadAsync(ours.Http, "test_files/MR_small.dcm");
        var (theirStatus, theirAnswer) = await UploadAsync(orthanc.Http, "test_files/MR_small.dcm");
        // Orthanc 1.10.1 answers 500 for its FullStorage error; later releases (and the reference) 507, as we do.
        Assert.That(theirStatus, Is.EqualTo(HttpStatusCode.InternalServerError), theirAnswer);
        Assert.That(status, Is.EqualTo(HttpStatusCode.InsufficientStorage), answer);
        Assert.That(JsonDiff.Differences(JsonNode.Parse(answer), JsonNode.Parse(theirAnswer), path => path is "/Details" or "/HttpError" or "/HttpStatus"), Is.Empty);
        Assert.That(await ListAsync(ours.Http, "instances"), Has.Count.EqualTo(1));
        Assert.That(ours.Archive.Storage.AllUuids().Count(), Is.EqualTo(1), "the refused file is not left behind");
    }
}
