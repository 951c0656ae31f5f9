using System.Globalization;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Rest.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Rest.Tests;

/// <summary>
/// <c>POST /modalities/{name}/store</c> and <c>/jobs</c> against the real Orthanc 1.10.1: both hold
/// the same files and send them to their own dcmtk storescp (same AE title); every request goes to
/// both, in the same order, and the answers, the jobs they leave, the exports logged and the files
/// received must be the same (job IDs, times and the free text of network errors aside).
/// </summary>
[TestFixture]
[NonParallelizable]
public class ModalityStoreOracleTests
{
    private static readonly string[] Files =
    [
        "test_files/CT_small.dcm", "test_files/MR_small.dcm", "test_files/dicomdirtests/77654033/CR1/6154",
        "test_files/dicomdirtests/77654033/CT2/17106", "test_files/dicomdirtests/77654033/CT2/17136",
    ];

    private UploadedFiles? _uploaded;
    private DirectoryInfo? _received;
    private PeerProcess? _ourScp;
    private PeerProcess? _theirScp;
    private OrthancServer? _orthanc;
    private RestArchive? _ours;

    [OneTimeSetUp]
    public async Task StartBoth()
    {
        if (ExternalTools.Find("/usr/sbin/Orthanc") is null || ExternalTools.Find("storescp") is null || !Directory.Exists(PydicomCorpus.TestFiles))
            return;
        _received = Directory.CreateTempSubdirectory("store-oracle-");
        var (ourPort, theirPort) = (ExternalTools.FreeLoopbackPort(), ExternalTools.FreeLoopbackPort());
        _ourScp = StartStorescp(ourPort, "ours");
        _theirScp = StartStorescp(theirPort, "theirs");
        var dead = ExternalTools.FreeLoopbackPort();
        JsonObject Settings(int port) => new()
        {
            ["LogExportedResources"] = true,
            ["DicomModalities"] = new JsonObject
            {
                ["scp"] = new JsonArray("STORESCP", "127.0.0.1", port),
                ["dead"] = new JsonArray("NOBODY", "127.0.0.1", dead),
            },
        };
        _orthanc = OrthancServer.Start(Settings(theirPort));
        _ours = await RestArchive.StartAsync(Settings(ourPort));
        _uploaded = await UploadedFiles.ToBothAsync(_orthanc, _ours, Files);
    }

    private PeerProcess StartStorescp(int port, string folder)
    {
        var output = Directory.CreateDirectory(Path.Combine(_received!.FullName, folder));
        return PeerProcess.Start("storescp", "dcmtk", ["-aet", "STORESCP", "-od", output.FullName, port.ToString(CultureInfo.InvariantCulture)], port);
    }

    [OneTimeTearDown]
    public async Task StopAll()
    {
        if (_ours is not null)
            await _ours.DisposeAsync();
        _orthanc?.Dispose();
        _ourScp?.Dispose();
        _theirScp?.Dispose();
        _received?.Delete(recursive: true);
    }

    private (HttpClient Ours, HttpClient Theirs) Clients()
    {
        ExternalTools.Require("/usr/sbin/Orthanc", "orthanc");
        ExternalTools.Require("storescp", "dcmtk");
        PydicomCorpus.Require();
        return (_ours!.Http, _orthanc!.Http);
    }

    // {CT}, {MR}, {CR} name uploaded files' IDs; {CTStudy}, {CT2Series}, {CRPatient} their parents'.
    private string Expand(string body) => body
        .Replace("{CT}", Id(Files[0], "ID"), StringComparison.Ordinal)
        .Replace("{CTStudy}", Id(Files[0], "ParentStudy"), StringComparison.Ordinal)
        .Replace("{MR}", Id(Files[1], "ID"), StringComparison.Ordinal)
        .Replace("{CRPatient}", Id(Files[2], "ParentPatient"), StringComparison.Ordinal)
        .Replace("{CT2Series}", Id(Files[3], "ParentSeries"), StringComparison.Ordinal);

    private string Id(string file, string key) => _uploaded!.Id(file, key);

    [TestCase("scp", "{CTStudy}")] // a bare ID
    [TestCase("scp", "\"{MR}\"")]
    [TestCase("scp", """["{CT}", "{MR}"]""")]
    [TestCase("scp", """{"Resources": ["{CRPatient}"], "LocalAet": "CALLER"}""")]
    [TestCase("scp", """{"Resources": ["{CT2Series}"], "MoveOriginatorID": 7, "MoveOriginatorAet": "MOVER", "Timeout": 20}""")]
    [TestCase("scp", """{"Resources": [], "Permissive": true, "Priority": 4}""")]
    [TestCase("scp", """{"Resources": ["{CT}"], "Synchronous": true}""")]
    [TestCase("scp", """{"Resources": ["aaaaaaaa-aaaaaaaa-aaaaaaaa-aaaaaaaa-aaaaaaaa"]}""")]
    [TestCase("scp", """{"Resources": ["not an id"]}""")]
    [TestCase("scp", """{"Resources": [12]}""")]
    [TestCase("scp", """{"Resources": "{CT}"}""")]
    [TestCase("scp", """{"LocalAet": "X"}""")]
    [TestCase("scp", """{"Resources": [], "Synchronous": 1}""")]
    [TestCase("scp", """{"Resources": [], "Timeout": -1}""")]
    [TestCase("scp", """{"Resources": [], "Priority": "high"}""")]
    [TestCase("scp", """{"Resources": [], "Permissive": "yes"}""")]
    [TestCase("scp", "12")]
    [TestCase("scp", "not json")]
    [TestCase("nope", """["{CT}"]""")]
    [TestCase("dead", """["{CT}"]""")]
    public async Task Store_Synchronous_SameAnswerAsOrthanc(string modality, string body)
    {
        var (ours, theirs) = Clients();
        // A failed connection's Details is the network library's own text (dcmtk's for Orthanc).
        await CorpusPair.AssertSameAnswerAsync(ours, theirs, () => CorpusPair.Post($"modalities/{modality}/store", Expand(body)),
            skip: modality == "dead" ? path => path == "/Details" : null);
    }

    [TestCase("scp", """{"Resources": ["{CRPatient}", "{MR}"], "Asynchronous": true}""")]
    [TestCase("scp", """{"Resources": ["{CTStudy}"], "Synchronous": false, "Priority": -2}""")]
    [TestCase("dead", """{"Resources": ["{CTStudy}"], "Synchronous": false}""")]
    [TestCase("dead", """{"Resources": ["{CTStudy}", "{MR}"], "Synchronous": false, "Permissive": true}""")]
    public async Task Store_Asynchronous_SameJobAsOrthanc(string modality, string body)
    {
        var (ours, theirs) = Clients();
        var ourJob = await JobPolling.FinishedJobAsync(ours, CorpusPair.Post($"modalities/{modality}/store", Expand(body)));
        var theirJob = await JobPolling.FinishedJobAsync(theirs, CorpusPair.Post($"modalities/{modality}/store", Expand(body)));
        // Deliberate deviation (README): a permissive job counts the instances the peer refused or
        // could not take; Orthanc counts only those deleted meanwhile, so it reports 0 failures here.
        var permissiveFailure = modality == "dead" && body.Contains("Permissive", StringComparison.Ordinal);
        Assert.That(JsonDiff.Differences(ourJob, theirJob, path => JobPolling.Volatile.Contains(path) || path == "/ErrorDetails"
                                                                  || (permissiveFailure && path == "/Content/FailedInstancesCount")), Is.Empty);
        Assert.That(ourJob["ErrorDetails"]!.GetValue<string>().Length > 0, Is.EqualTo(theirJob["ErrorDetails"]!.GetValue<string>().Length > 0));
        if (permissiveFailure)
        {
            Assert.That(ourJob["Content"]!["FailedInstancesCount"]!.GetValue<int>(), Is.EqualTo(ourJob["Content"]!["InstancesCount"]!.GetValue<int>()));
            Assert.That(theirJob["Content"]!["FailedInstancesCount"]!.GetValue<int>(), Is.Zero);
        }
    }

    [Test]
    public async Task JobActions_OnFinishedAndUnknownJobs_SameAnswersAsOrthanc()
    {
        var (ours, theirs) = Clients();
        var answers = new List<string>[2];
        foreach (var (client, side) in new[] { (ours, 0), (theirs, 1) })
        {
            answers[side] = [];
            var succeeded = (await JobPolling.FinishedJobAsync(client, CorpusPair.Post("modalities/scp/store", Expand("""{"Resources": ["{MR}"], "Asynchronous": true}"""))))["ID"]!.GetValue<string>();
            var failed = (await JobPolling.FinishedJobAsync(client, CorpusPair.Post("modalities/dead/store", Expand("""{"Resources": ["{MR}"], "Asynchronous": true}"""))))["ID"]!.GetValue<string>();
            foreach (var (id, action) in new[]
                     {
                         (succeeded, "resume"), (succeeded, "resubmit"), (succeeded, "pause"), (succeeded, "cancel"), (failed, "cancel"),
                         ("nope", "pause"), ("nope", "cancel"), ("nope", "resume"), ("nope", "resubmit"),
                     })
            {
                using var response = await client.PostAsync($"jobs/{id}/{action}", null);
                answers[side].Add($"{action} {(id == "nope" ? id : "job")}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

            var state = (await CorpusPair.GetJsonAsync(client, $"jobs/{succeeded}"))!["State"]!.GetValue<string>();
            answers[side].Add($"after pause and cancel: {state}");
            using (var unknown = await client.GetAsync("jobs/nope"))
                answers[side].Add($"GET unknown: {(int)unknown.StatusCode} {await unknown.Content.ReadAsStringAsync()}");
            using (var output = await client.GetAsync($"jobs/{succeeded}/archive"))
                answers[side].Add($"GET output: {(int)output.StatusCode}");
            var resubmitted = await client.PostAsync($"jobs/{failed}/resubmit", null);
            answers[side].Add($"resubmit failed: {(int)resubmitted.StatusCode}");
        }

        Assert.That(answers[0], Is.EqualTo(answers[1]));
    }

    [Test]
    public async Task Exports_LoggedAsOrthancLogsThem()
    {
        var (ours, theirs) = Clients();
        // Whatever the other tests sent before (to both) is in both logs too.
        await CorpusPair.AssertSameAnswerAsync(ours, theirs, () => CorpusPair.Post("modalities/scp/store", Expand("""["{CRPatient}", "{CT}", "{CT2Series}"]""")));
        foreach (var path in new[] { "exports", "exports?limit=3", "exports?since=2&limit=2", "exports?last" })
            await CorpusPair.AssertSameAnswerAsync(ours, theirs, () => new HttpRequestMessage(HttpMethod.Get, path), skip: p => p.EndsWith("/Date", StringComparison.Ordinal));
    }

    [Test]
    public async Task Storescp_ReceivedTheSameInstancesFromBoth()
    {
        var (ours, theirs) = Clients();
        await CorpusPair.AssertSameAnswerAsync(ours, theirs, () => CorpusPair.Post("modalities/scp/store", Expand("""["{CRPatient}", "{MR}"]""")));
        // storescp names each file after its modality and SOP Instance UID.
        string[] Received(string side) => [.. Directory.GetFiles(Path.Combine(_received!.FullName, side)).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
        Assert.That(Received("ours"), Is.Not.Empty);
        Assert.That(Received("ours"), Is.EqualTo(Received("theirs")));
    }

    [Test]
    public async Task Store_Synchronous_InstancesArriveIntact()
    {
        var (ours, theirs) = Clients();
        await CorpusPair.AssertSameAnswerAsync(ours, theirs, () => CorpusPair.Post("modalities/scp/store", Expand("\"{CT}\"")));
        var sopInstanceUid = (await CorpusPair.GetJsonAsync(ours, Expand("instances/{CT}/simplified-tags")))!["SOPInstanceUID"]!.GetValue<string>();
        var received = Directory.GetFiles(Path.Combine(_received!.FullName, "ours"), $"*{sopInstanceUid}");
        Assert.That(received, Has.Length.EqualTo(1));
        var dump = ExternalTools.Run(ExternalTools.Require("dcmdump", "dcmtk"), ["+P", "0008,0018", "+P", "0010,0020", received[0]]);
        Assert.That(dump.Output, Does.Contain(sopInstanceUid).And.Contain("1CT1"));
    }
}
