using System.Text.Json.Nodes;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Rest.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Rest.Tests;

/// <summary>
/// <c>/modalities/{name}/query</c> and <c>/queries</c> against the real Orthanc 1.10.1: both query
/// the same dcmtk dcmqrscp (holding five corpus files), as a plain modality and as a "GE" one;
/// every query and every route of its results must answer the same (query IDs aside).
/// </summary>
[TestFixture]
[NonParallelizable]
public class QueryOracleTests
{
    private static readonly string[] Files =
    [
        "test_files/CT_small.dcm", "test_files/MR_small.dcm", "test_files/dicomdirtests/77654033/CR1/6154",
        "test_files/dicomdirtests/77654033/CT2/17106", "test_files/dicomdirtests/77654033/CT2/17136",
    ];

    private DirectoryInfo? _folder;
    private QueryRetrieveScp? _dcmqrscp;
    private OrthancServer? _orthanc;
    private RestArchive? _ours;

    [OneTimeSetUp]
    public async Task StartAll()
    {
        if (ExternalTools.Find("/usr/sbin/Orthanc") is null || ExternalTools.Find("dcmqrscp") is null || !Directory.Exists(PydicomCorpus.TestFiles))
            return;
        _folder = Directory.CreateTempSubdirectory("query-oracle-");
        _dcmqrscp = await QueryRetrieveScp.StartAsync(_folder, Files, []);
        var port = _dcmqrscp.Port;
        var settings = new JsonObject
        {
            ["DicomModalities"] = new JsonObject
            {
                ["qr"] = new JsonArray("QRSCP", "127.0.0.1", port),
                ["ge"] = new JsonArray("QRSCP", "127.0.0.1", port, "GE"),
                ["nodates"] = new JsonArray("QRSCP", "127.0.0.1", port, "GenericNoWildcardInDates"),
                ["dead"] = new JsonArray("NOBODY", "127.0.0.1", ExternalTools.FreeLoopbackPort()),
            },
        };
        _orthanc = OrthancServer.Start(settings);
        _ours = await RestArchive.StartAsync(settings);
    }

    [OneTimeTearDown]
    public async Task StopAll()
    {
        if (_ours is not null)
            await _ours.DisposeAsync();
        _orthanc?.Dispose();
        _dcmqrscp?.Dispose();
        _folder?.Delete(recursive: true);
    }

    private (HttpClient Ours, HttpClient Theirs) Clients()
    {
        ExternalTools.Require("/usr/sbin/Orthanc", "orthanc");
        ExternalTools.Require("dcmqrscp", "dcmtk");
        PydicomCorpus.Require();
        return (_ours!.Http, _orthanc!.Http);
    }

    [TestCase("qr", """{"Level": "Patient", "Query": {}}""")]
    [TestCase("qr", """{"Level": "Study", "Query": {"PatientName": "*", "StudyDate": "", "ModalitiesInStudy": ""}}""")]
    [TestCase("qr", """{"Level": "Study", "Query": {"PatientID": "1CT1"}}""")]
    [TestCase("qr", """{"Level": "Series", "Query": {"Modality": "CT", "SeriesDescription": "", "0020,0011": ""}}""")]
    [TestCase("qr", """{"Level": "Instance", "Query": {"InstanceNumber": "", "Rows": ""}}""")]
    [TestCase("qr", """{"Level": "study", "Query": {"Modality": "CT", "StudyDescription": ""}}""")] // Modality is not a study key: dropped
    [TestCase("qr", """{"Level": "Study", "Query": {"Modality": "", "StudyDescription": ""}, "Normalize": false}""")]
    [TestCase("qr", """{"Level": "Study", "Query": {"StudyDate": "20040101-"}, "LocalAet": "CALLER", "Timeout": 10}""")]
    [TestCase("ge", """{"Level": "Series", "Query": {"Modality": ""}}""")]
    [TestCase("nodates", """{"Level": "Study", "Query": {"StudyDate": "*", "PatientName": "*"}}""")]
    public async Task Query_ResultsBrowseTheSameAsOrthanc(string modality, string body)
    {
        var (ours, theirs) = Clients();
        var ourId = await QueryIdAsync(ours, modality, body);
        var theirId = await QueryIdAsync(theirs, modality, body);
        var paths = new List<string>
        {
            "", "/answers", "/answers?expand", "/answers?expand&simplify", "/answers?expand&short", "/level", "/modality", "/query", "/query?simplify",
            "/answers/99", "/answers/99/content",
        };
        var count = CorpusPair.Ids(await CorpusPair.GetJsonAsync(theirs, $"queries/{theirId}/answers")).Count;
        if (modality != "ge") // "*" in UIDs (GE's universal matching) matches nothing in dcmqrscp
            Assert.That(count, Is.Positive, "the query should match something");
        for (var i = 0; i < count; i++)
            paths.AddRange([$"/answers/{i}", $"/answers/{i}/content", $"/answers/{i}/content?simplify", $"/answers/{i}/content?short"]);
        foreach (var path in paths)
        {
            using var ourResponse = await ours.GetAsync($"queries/{ourId}{path}");
            using var theirResponse = await theirs.GetAsync($"queries/{theirId}{path}");
            Assert.That(ourResponse.StatusCode, Is.EqualTo(theirResponse.StatusCode), path);
            var (ourBody, theirBody) = (await ourResponse.Content.ReadAsStringAsync(), await theirResponse.Content.ReadAsStringAsync());
            if (theirBody.StartsWith('{') || theirBody.StartsWith('['))
                Assert.That(JsonDiff.Differences(JsonNode.Parse(ourBody), JsonNode.Parse(theirBody), p => p == "/Uri"), Is.Empty, path);
            else
                Assert.That(ourBody, Is.EqualTo(theirBody), path);
        }
    }

    private static async Task<string> QueryIdAsync(HttpClient client, string modality, string body)
    {
        using var response = await client.SendAsync(CorpusPair.Post($"modalities/{modality}/query", body));
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var id = answer["ID"]!.GetValue<string>();
        Assert.That(answer["Path"]!.GetValue<string>(), Is.EqualTo($"/queries/{id}"));
        Assert.That(CorpusPair.Ids(await CorpusPair.GetJsonAsync(client, "queries")), Does.Contain(id));
        return id;
    }

    [TestCase("qr", "not json")]
    [TestCase("qr", "[]")]
    [TestCase("qr", """{"Query": {}}""")]
    [TestCase("qr", """{"Level": 1}""")]
    [TestCase("qr", """{"Level": "Study", "Normalize": "yes"}""")]
    [TestCase("qr", """{"Level": "Study", "Query": []}""")]
    [TestCase("qr", """{"Level": "Study", "LocalAet": 12}""")]
    [TestCase("qr", """{"Level": "Study", "Timeout": -1}""")]
    [TestCase("qr", """{"Level": "Galaxy"}""")]
    [TestCase("qr", """{"Level": "Study", "Query": {"Nope": ""}}""")]
    [TestCase("qr", """{"Level": "Study", "Query": {"PatientID": 5}}""")]
    [TestCase("nope", """{"Level": "Study"}""")]
    [TestCase("dead", """{"Level": "Study"}""")]
    public async Task Query_BadRequests_SameErrorsAsOrthanc(string modality, string body)
    {
        var (ours, theirs) = Clients();
        await CorpusPair.AssertSameAnswerAsync(ours, theirs, () => CorpusPair.Post($"modalities/{modality}/query", body),
            skip: modality == "dead" ? p => p == "/Details" : null);
    }

    [Test]
    public async Task Queries_UnknownAndDeleted_SameAnswersAsOrthanc()
    {
        var (ours, theirs) = Clients();
        foreach (var path in new[] { "queries/nope", "queries/nope/answers", "queries/nope/level", "queries/nope/answers/0/content" })
            await CorpusPair.AssertSameErrorAsync(ours, theirs, path);
        foreach (var client in new[] { ours, theirs })
        {
            var id = await QueryIdAsync(client, "qr", """{"Level": "Patient"}""");
            using var deleted = await client.DeleteAsync($"queries/{id}");
            Assert.That((int)deleted.StatusCode, Is.EqualTo(200));
            using var gone = await client.GetAsync($"queries/{id}");
            Assert.That((int)gone.StatusCode, Is.EqualTo(404));
            Assert.That(CorpusPair.Ids(await CorpusPair.GetJsonAsync(client, "queries")), Does.Not.Contain(id));
        }
    }
}
