using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Rest.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Rest.Tests;

/// <summary>
/// <c>/queries/{id}/retrieve</c>, <c>/queries/{id}/answers/{i}/retrieve</c> and
/// <c>/modalities/{name}/move</c> against the real Orthanc 1.10.1: both query and move from the
/// same dcmtk dcmqrscp, which knows each of them (AE titles OURS and THEIRS) and a dcmtk storescp
/// (SINK) as move destinations. Answers and jobs must be the same, and each archive must receive
/// the same instances.
/// </summary>
[TestFixture]
[NonParallelizable]
public class RetrieveOracleTests
{
    private static readonly string[] Files =
    [
        "test_files/CT_small.dcm", "test_files/MR_small.dcm", "test_files/dicomdirtests/77654033/CT2/17106",
        "test_files/dicomdirtests/77654033/CT2/17136", "test_files/dicomdirtests/77654033/CR1/6154",
    ];

    private DirectoryInfo? _folder;
    private QueryRetrieveScp? _dcmqrscp;
    private PeerProcess? _sink;
    private OrthancServer? _orthanc;
    private RestArchive? _ours;

    [OneTimeSetUp]
    public async Task StartAll()
    {
        if (ExternalTools.Find("/usr/sbin/Orthanc") is null || ExternalTools.Find("dcmqrscp") is null || !Directory.Exists(PydicomCorpus.TestFiles))
            return;
        _folder = Directory.CreateTempSubdirectory("retrieve-oracle-");
        var received = Directory.CreateDirectory(Path.Combine(_folder.FullName, "sink"));
        var (sinkPort, ourPort, theirPort) = (ExternalTools.FreeLoopbackPort(), ExternalTools.FreeLoopbackPort(), ExternalTools.FreeLoopbackPort());
        _dcmqrscp = await QueryRetrieveScp.StartAsync(_folder, Files, [("sink", "SINK", sinkPort), ("ours", "OURS", ourPort), ("theirs", "THEIRS", theirPort)]);
        var qrPort = _dcmqrscp.Port;
        _sink = PeerProcess.Start("storescp", "dcmtk", ["-aet", "SINK", "-od", received.FullName, sinkPort.ToString(CultureInfo.InvariantCulture)], sinkPort);
        JsonObject Settings(string aet, int port) => new()
        {
            ["DicomServerEnabled"] = true,
            ["DicomAet"] = aet,
            ["DicomPort"] = port,
            ["DicomModalities"] = new JsonObject
            {
                ["qr"] = new JsonArray("QRSCP", "127.0.0.1", qrPort),
                ["dead"] = new JsonArray("NOBODY", "127.0.0.1", ExternalTools.FreeLoopbackPort()),
            },
        };
        _orthanc = OrthancServer.Start(Settings("THEIRS", theirPort));
        _ours = await RestArchive.StartAsync(Settings("OURS", ourPort));
    }

    [OneTimeTearDown]
    public async Task StopAll()
    {
        if (_ours is not null)
            await _ours.DisposeAsync();
        _orthanc?.Dispose();
        _dcmqrscp?.Dispose();
        _sink?.Dispose();
        _folder?.Delete(recursive: true);
    }

    private (HttpClient Ours, HttpClient Theirs) Clients()
    {
        ExternalTools.Require("/usr/sbin/Orthanc", "orthanc");
        ExternalTools.Require("dcmqrscp", "dcmtk");
        PydicomCorpus.Require();
        return (_ours!.Http, _orthanc!.Http);
    }

    private static async Task<string> QueryAsync(HttpClient client, string body)
    {
        using var response = await client.SendAsync(CorpusPair.Post("modalities/qr/query", body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        return JsonNode.Parse(text)!["ID"]!.GetValue<string>();
    }

    private static async Task<List<string>> InstancesAsync(HttpClient client) =>
        [.. CorpusPair.Ids(await CorpusPair.GetJsonAsync(client, "instances")).Order(StringComparer.Ordinal)];

    [Test]
    public async Task Retrieve_ToItself_SameJobAndSameInstancesAsOrthanc()
    {
        var (ours, theirs) = Clients();
        const string query = """{"Level": "Series", "Query": {"Modality": "CT"}}""";
        var (ourQuery, theirQuery) = (await QueryAsync(ours, query), await QueryAsync(theirs, query));
        // An empty body moves to our own AE title (OURS, THEIRS): the Query and LocalAet agree, RemoteAet too.
        using var ourResponse = await ours.SendAsync(CorpusPair.Post($"queries/{ourQuery}/retrieve", ""));
        using var theirResponse = await theirs.SendAsync(CorpusPair.Post($"queries/{theirQuery}/retrieve", ""));
        Assert.That(ourResponse.StatusCode, Is.EqualTo(theirResponse.StatusCode), await ourResponse.Content.ReadAsStringAsync());
        Assert.That(JsonDiff.Differences(JsonNode.Parse(await ourResponse.Content.ReadAsStringAsync()), JsonNode.Parse(await theirResponse.Content.ReadAsStringAsync()),
            path => path == "/LocalAet"), Is.Empty);
        var ourInstances = await InstancesAsync(ours);
        Assert.That(ourInstances, Is.EqualTo(await InstancesAsync(theirs)));
        Assert.That(ourInstances, Has.Count.EqualTo(3), "the three CT instances");
    }

    [TestCase("", "answers/0/retrieve", "SINK")]
    [TestCase("", "retrieve", """{"TargetAet": "SINK", "Simplify": true}""")]
    [TestCase("", "retrieve", """{"TargetAet": "SINK", "Full": true, "Timeout": 20}""")]
    [TestCase("", "answers/1/retrieve", """{"TargetAet": "NOBODY"}""")]
    [TestCase("", "answers/9/retrieve", "SINK")]
    [TestCase("", "answers/x/retrieve", "SINK")]
    [TestCase("", "retrieve", """{"TargetAet": "SINK", "Permissive": "yes"}""")]
    [TestCase("", "retrieve", """{"TargetAet": "SINK", "Simplify": 1}""")]
    [TestCase("aaaa", "retrieve", "SINK")]
    public async Task Retrieve_SameAnswerAsOrthanc(string queryId, string route, string body)
    {
        var (ours, theirs) = Clients();
        const string query = """{"Level": "Study", "Query": {"PatientID": "", "StudyDescription": ""}}""";
        var (ourQuery, theirQuery) = queryId.Length > 0 ? (queryId, queryId) : (await QueryAsync(ours, query), await QueryAsync(theirs, query));
        using var ourResponse = await ours.SendAsync(CorpusPair.Post($"queries/{ourQuery}/{route}", body));
        using var theirResponse = await theirs.SendAsync(CorpusPair.Post($"queries/{theirQuery}/{route}", body));
        var (ourText, theirText) = (await ourResponse.Content.ReadAsStringAsync(), await theirResponse.Content.ReadAsStringAsync());
        Assert.That(ourResponse.StatusCode, Is.EqualTo(theirResponse.StatusCode), ourText + theirText);
        // The queries' IDs differ (Uri), and each calls with its own AE title.
        Assert.That(JsonDiff.Differences(JsonNode.Parse(ourText), JsonNode.Parse(theirText), path => path is "/Uri" or "/LocalAet")
            .Where(d => !d.StartsWith("/Details: not in theirs", StringComparison.Ordinal)), Is.Empty);
        if (ourResponse.StatusCode == HttpStatusCode.OK)
            Assert.That(JsonNode.Parse(ourText)!["LocalAet"]!.GetValue<string>(), Is.EqualTo("OURS"));
    }

    [Test]
    public async Task Retrieve_JsonThatIsNotAnObject_Refused()
    {
        var (ours, _) = Clients();
        var id = await QueryAsync(ours, """{"Level": "Study", "Query": {}}""");
        // Orthanc 1.10.1 fails with an internal error (500) here.
        using var response = await ours.SendAsync(CorpusPair.Post($"queries/{id}/retrieve", "[\"SINK\"]"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["OrthancStatus"]!.GetValue<int>(), Is.EqualTo(15));
    }

    [Test]
    public async Task Retrieve_Asynchronous_SameJobAsOrthanc()
    {
        var (ours, theirs) = Clients();
        const string query = """{"Level": "Study", "Query": {"PatientID": "1CT1"}}""";
        const string body = """{"TargetAet": "SINK", "Asynchronous": true}""";
        var ourJob = await JobPolling.FinishedJobAsync(ours, CorpusPair.Post($"queries/{await QueryAsync(ours, query)}/retrieve", body));
        var theirJob = await JobPolling.FinishedJobAsync(theirs, CorpusPair.Post($"queries/{await QueryAsync(theirs, query)}/retrieve", body));
        Assert.That(JsonDiff.Differences(ourJob, theirJob, path => JobPolling.Volatile.Contains(path) || path == "/Content/LocalAet"), Is.Empty);
        Assert.That(ourJob["Content"]!["LocalAet"]!.GetValue<string>(), Is.EqualTo("OURS"));
        Assert.That(ourJob["Type"]!.GetValue<string>(), Is.EqualTo("DicomMoveScu"));
    }

    [TestCase("qr", """{"Level": "Series", "Resources": [{"StudyInstanceUID": "1.3.6.1.4.1.5962.1.2.1.20040119072730.12322", "SeriesInstanceUID": "1.3.6.1.4.1.5962.1.3.1.1.20040119072730.12322"}], "TargetAet": "SINK"}""")]
    [TestCase("qr", """{"Level": "Study", "Resources": [{"0020,000d": "1.3.6.1.4.1.5962.1.2.1.20040119072730.12322"}], "TargetAet": "SINK", "Timeout": 10}""")]
    [TestCase("qr", """{"Level": "Study", "Resources": [{"StudyInstanceUID": "1.2.3.4"}], "TargetAet": "NOBODY"}""")]
    [TestCase("qr", """{"Level": "Series", "Resources": [{"StudyInstanceUID": "1.2.3"}]}""")]
    [TestCase("qr", """{"Level": "Study", "Resources": [{"Nope": "1.2.3"}]}""")]
    [TestCase("qr", """{"Level": "Study", "Resources": [{"StudyInstanceUID": 5}]}""")]
    [TestCase("qr", """{"Level": "Study", "Resources": ["1.2.3"]}""")]
    [TestCase("qr", """{"Level": "Nope", "Resources": []}""")]
    [TestCase("qr", """{"Resources": []}""")]
    [TestCase("qr", """{"Level": "Study", "Resources": [], "Timeout": -1}""")]
    [TestCase("nope", """{"Level": "Study", "Resources": []}""")]
    public async Task Move_SameAnswerAsOrthanc(string modality, string body)
    {
        var (ours, theirs) = Clients();
        await CorpusPair.AssertSameAnswerAsync(ours, theirs, () => CorpusPair.Post($"modalities/{modality}/move", body));
    }

    [TestCase("Patient", "0", "query-studies", """{"Query": {"StudyDescription": "", "ModalitiesInStudy": ""}}""")]
    [TestCase("Patient", "0", "query-series", """{"Query": {"Modality": ""}, "Timeout": 10}""")]
    [TestCase("Study", "1", "query-instances", """{"Query": {"InstanceNumber": ""}}""")]
    [TestCase("Study", "0", "query-studies", "{}")]
    [TestCase("Study", "9", "query-series", "{}")]
    [TestCase("Study", "x", "query-series", "{}")]
    [TestCase("Study", "0", "query-series", "not json")]
    [TestCase("Study", "0", "query-series", """{"Query": {"Nope": ""}}""")]
    [TestCase("Study", "0", "query-series", """{"Timeout": "soon"}""")]
    public async Task QueryBelowAnAnswer_SameAnswersAsOrthanc(string level, string index, string route, string body)
    {
        var (ours, theirs) = Clients();
        var query = "{\"Level\": \"" + level + "\", \"Query\": {\"PatientID\": \"\"}}";
        var (ourQuery, theirQuery) = (await QueryAsync(ours, query), await QueryAsync(theirs, query));
        using var ourResponse = await ours.SendAsync(CorpusPair.Post($"queries/{ourQuery}/answers/{index}/{route}", body));
        using var theirResponse = await theirs.SendAsync(CorpusPair.Post($"queries/{theirQuery}/answers/{index}/{route}", body));
        var (ourText, theirText) = (await ourResponse.Content.ReadAsStringAsync(), await theirResponse.Content.ReadAsStringAsync());
        Assert.That(ourResponse.StatusCode, Is.EqualTo(theirResponse.StatusCode), ourText + theirText);
        if (theirResponse.StatusCode != HttpStatusCode.OK)
        {
            Assert.That(JsonDiff.Differences(JsonNode.Parse(ourText), JsonNode.Parse(theirText), path => path == "/Uri")
                .Where(d => !d.StartsWith("/Details: not in theirs", StringComparison.Ordinal)), Is.Empty);
            return;
        }

        var (ourChild, theirChild) = (JsonNode.Parse(ourText)!["ID"]!.GetValue<string>(), JsonNode.Parse(theirText)!["ID"]!.GetValue<string>());
        foreach (var path in new[] { "/answers?expand", "/query", "/level", "/modality" })
        {
            using var ourAnswer = await ours.GetAsync($"queries/{ourChild}{path}");
            using var theirAnswer = await theirs.GetAsync($"queries/{theirChild}{path}");
            var (ours2, theirs2) = (await ourAnswer.Content.ReadAsStringAsync(), await theirAnswer.Content.ReadAsStringAsync());
            if (path is "/level" or "/modality")
                Assert.That(ours2, Is.EqualTo(theirs2), path);
            else
                Assert.That(JsonDiff.Differences(JsonNode.Parse(ours2), JsonNode.Parse(theirs2)), Is.Empty, path);
        }
    }
}
