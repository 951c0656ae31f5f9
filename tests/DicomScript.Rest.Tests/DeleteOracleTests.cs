using System.Net;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Rest.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Rest.Tests;

/// <summary>
/// DELETE at each level against the real Orthanc 1.10.1: the same answers (remaining ancestor),
/// the same resources left, the same statistics, and our files gone with their instances.
/// </summary>
[TestFixture]
[NonParallelizable]
public class DeleteOracleTests
{
    private static readonly string[] Files =
    [
        "test_files/JPEG2000.dcm", "test_files/JPEG2000-embedded-sequence-delimiter.dcm", "test_files/JPEG-lossy.dcm", "test_files/JPGExtended.dcm",
        "test_files/dicomdirtests/77654033/CR1/6154", "test_files/dicomdirtests/77654033/CR2/6247", "test_files/dicomdirtests/77654033/CT2/17106",
        "test_files/dicomdirtests/77654033/CT2/17136",
    ];

    private OrthancServer _orthanc = null!;
    private RestArchive _ours = null!;
    private UploadedFiles? _uploaded;

    [SetUp]
    public async Task UploadToBoth()
    {
        PydicomCorpus.Require();
        _orthanc = OrthancServer.Start();
        _ours = await RestArchive.StartAsync();
        _uploaded = await UploadedFiles.ToBothAsync(_orthanc, _ours, Files);
    }

    [TearDown]
    public async Task Stop()
    {
        await _ours.DisposeAsync();
        _orthanc.Dispose();
    }

    private string Id(string file, string key = "ID") => _uploaded!.Id(file, key);

    [Test]
    public async Task Delete_EachLevel_SameAnswersAndWhatRemainsAsOrthanc()
    {
        var steps = new (string Path, string? ExpectedType)[]
        {
            ("instances/" + Id(Files[0]), "Series"),                         // the series keeps 3 instances
            ("studies/" + Id(Files[4], "ParentStudy"), "Patient"),           // the patient keeps its other study
            ("series/" + Id(Files[1], "ParentSeries"), null),                // last series of a one-study patient: everything goes
            ("patients/" + Id(Files[6], "ParentPatient"), null),
        };
        foreach (var (path, expectedType) in steps)
        {
            var ours = await DeleteAsync(_ours.Http, path);
            var theirs = await DeleteAsync(_orthanc.Http, path);
            Assert.That(ours.Status, Is.EqualTo(HttpStatusCode.OK), path);
            Assert.That(JsonDiff.Differences(ours.Answer, theirs.Answer), Is.Empty, path);
            Assert.That(ours.Answer!["RemainingAncestor"]?["Type"]?.GetValue<string>(), Is.EqualTo(expectedType), path);
            await AssertSameContentAsync(path);

            var again = await DeleteAsync(_ours.Http, path);
            Assert.That(again.Status, Is.EqualTo((await DeleteAsync(_orthanc.Http, path)).Status).And.EqualTo(HttpStatusCode.NotFound), "a second DELETE");
        }

        Assert.That(_ours.Archive.Storage.AllUuids(), Is.Empty, "every file removed");
    }

    [Test]
    public async Task Delete_IdOfAnotherLevel_NotFoundAndNothingDeleted()
    {
        var study = Id(Files[0], "ParentStudy");
        Assert.That((await DeleteAsync(_ours.Http, "series/" + study)).Status, Is.EqualTo((await DeleteAsync(_orthanc.Http, "series/" + study)).Status)
            .And.EqualTo(HttpStatusCode.NotFound));
        await AssertSameContentAsync("nothing deleted");
        Assert.That(_ours.Archive.Storage.AllUuids(), Is.Not.Empty);
    }

    private async Task AssertSameContentAsync(string after)
    {
        foreach (var level in new[] { "patients", "studies", "series", "instances" })
        {
            var ours = ((JsonArray)JsonNode.Parse(await _ours.Http.GetStringAsync(level))!).Select(n => n!.GetValue<string>());
            var theirs = ((JsonArray)JsonNode.Parse(await _orthanc.Http.GetStringAsync(level))!).Select(n => n!.GetValue<string>());
            Assert.That(ours, Is.EquivalentTo(theirs), $"{level} after {after}");
        }

        Assert.That(JsonDiff.Differences(JsonNode.Parse(await _ours.Http.GetStringAsync("statistics")), JsonNode.Parse(await _orthanc.Http.GetStringAsync("statistics"))),
            Is.Empty, $"statistics after {after}");
        var instances = JsonNode.Parse(await _ours.Http.GetStringAsync("statistics"))!["CountInstances"]!.GetValue<long>();
        Assert.That(_ours.Archive.Storage.AllUuids().Count(), Is.EqualTo(instances), $"one file per instance after {after}");
    }

    private static async Task<(HttpStatusCode Status, JsonNode? Answer)> DeleteAsync(HttpClient client, string path)
    {
        using var response = await client.DeleteAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null);
    }
}
