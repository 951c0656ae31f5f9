using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Rest.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Rest.Tests;

/// <summary>
/// <c>/peers</c> against the real Orthanc 1.10.1: ours and Orthanc hold the same files and have the
/// same OrthancPeers: a second real Orthanc (the sink), a second instance of ours behind HTTP Basic
/// authentication, the same with a wrong password, and a port where nobody listens. Every request
/// goes to both; answers and jobs must be the same, and what the sink and our second instance
/// received must be byte for byte what was sent.
/// </summary>
[TestFixture]
[NonParallelizable]
public class PeerOracleTests
{
    private static readonly string[] Files = ["test_files/CT_small.dcm", "test_files/MR_small.dcm", "test_files/dicomdirtests/77654033/CT2/17106"];

    private UploadedFiles? _uploaded;
    private OrthancServer? _orthanc;
    private OrthancServer? _sink;
    private RestArchive? _ours;
    private RestArchive? _second;

    [OneTimeSetUp]
    public async Task StartAll()
    {
        if (ExternalTools.Find("/usr/sbin/Orthanc") is null || !Directory.Exists(PydicomCorpus.TestFiles))
            return;
        _sink = OrthancServer.Start();
        _second = await RestArchive.StartAsync(new JsonObject
        {
            ["AuthenticationEnabled"] = true,
            ["RegisteredUsers"] = new JsonObject { ["alice"] = "pw" },
        });
        var secondUrl = $"http://127.0.0.1:{_second.Rest.Port}"; // without the final "/": both add it
        var peers = new JsonObject
        {
            ["OrthancPeers"] = new JsonObject
            {
                ["sink"] = new JsonArray(_sink.Http.BaseAddress!.ToString()),
                ["second"] = new JsonObject
                {
                    ["Url"] = secondUrl, ["Username"] = "alice", ["Password"] = "pw", ["HttpHeaders"] = new JsonObject { ["X-Sender"] = "test" },
                },
                ["wrong"] = new JsonArray(secondUrl, "alice", "not the password"),
                ["dead"] = new JsonObject { ["Url"] = $"http://127.0.0.1:{ExternalTools.FreeLoopbackPort()}/", ["Timeout"] = 5 },
            },
        };
        _orthanc = OrthancServer.Start(peers);
        _ours = await RestArchive.StartAsync(peers);
        _uploaded = await UploadedFiles.ToBothAsync(_orthanc, _ours, Files);
    }

    [OneTimeTearDown]
    public async Task StopAll()
    {
        if (_ours is not null)
            await _ours.DisposeAsync();
        if (_second is not null)
            await _second.DisposeAsync();
        _orthanc?.Dispose();
        _sink?.Dispose();
    }

    private (HttpClient Ours, HttpClient Theirs) Clients()
    {
        ExternalTools.Require("/usr/sbin/Orthanc", "orthanc");
        PydicomCorpus.Require();
        return (_ours!.Http, _orthanc!.Http);
    }

    private string Expand(string body) => body
        .Replace("{CT}", Id(Files[0], "ID"), StringComparison.Ordinal)
        .Replace("{MR}", Id(Files[1], "ID"), StringComparison.Ordinal)
        .Replace("{CT2Study}", Id(Files[2], "ParentStudy"), StringComparison.Ordinal)
        .Replace("{MRPatient}", Id(Files[1], "ParentPatient"), StringComparison.Ordinal);

    private string Id(string file, string key) => _uploaded!.Id(file, key);

    [TestCase("peers")]
    [TestCase("peers?expand")]
    [TestCase("peers/second")]
    [TestCase("peers/nope")]
    [TestCase("peers/second/configuration")]
    [TestCase("peers/dead/configuration")]
    [TestCase("peers/nope/configuration")]
    [TestCase("peers/nope/system")]
    [TestCase("peers/dead/system")]
    [TestCase("peers/wrong/system")]
    public async Task Get_SameAnswerAsOrthanc(string path)
    {
        var (ours, theirs) = Clients();
        // A failed connection's Details is the HTTP library's own text (libcurl's for Orthanc). When the
        // peer refuses, Orthanc answers 500 with its internal error 2005; we say 9 and why (README).
        await CorpusPair.AssertSameAnswerAsync(ours, theirs, () => new HttpRequestMessage(HttpMethod.Get, path),
            skip: path.EndsWith("/system", StringComparison.Ordinal) ? p => p is "/Details" or "/OrthancStatus" or "/Message" or "/OrthancError" : null);
    }

    [Test]
    public async Task System_OfALivePeer_IsThePeersOwn()
    {
        var (ours, _) = Clients();
        var system = await CorpusPair.GetJsonAsync(ours, "peers/sink/system");
        Assert.That(system!["Name"]!.GetValue<string>(), Is.EqualTo("oracle"), "the sink's name");
    }

    [TestCase("sink", "{CT}")]
    [TestCase("sink", """["{MR}", "{CT2Study}"]""")]
    [TestCase("sink", """{"Resources": ["{MRPatient}"], "Permissive": true}""")]
    [TestCase("second", "\"{CT}\"")]
    [TestCase("second", """{"Resources": ["{CT2Study}"], "Compress": true}""")]
    [TestCase("wrong", """["{CT}"]""")]
    [TestCase("dead", """["{CT}"]""")]
    [TestCase("nope", """["{CT}"]""")]
    [TestCase("sink", """{"Resources": ["{CT}"], "Compress": "yes"}""")]
    [TestCase("sink", """{"Resources": [], "Synchronous": "no"}""")]
    [TestCase("sink", """{"Resources": ["aaaaaaaa-aaaaaaaa-aaaaaaaa-aaaaaaaa-aaaaaaaa"]}""")]
    [TestCase("sink", "not json")]
    public async Task Store_Synchronous_SameAnswerAsOrthanc(string peer, string body)
    {
        var (ours, theirs) = Clients();
        // zlib and .NET compress to different sizes; network errors have each library's own text.
        await CorpusPair.AssertSameAnswerAsync(ours, theirs, () => CorpusPair.Post($"peers/{peer}/store", Expand(body)),
            skip: path => path == "/Details" && peer is "dead" or "wrong" || path == "/Size" && body.Contains("Compress\": true", StringComparison.Ordinal));
    }

    [TestCase("sink", """{"Resources": ["{MRPatient}", "{CT}"], "Asynchronous": true}""")]
    [TestCase("dead", """{"Resources": ["{CT}"], "Synchronous": false}""")]
    public async Task Store_Asynchronous_SameJobAsOrthanc(string peer, string body)
    {
        var (ours, theirs) = Clients();
        var ourJob = await JobPolling.FinishedJobAsync(ours, CorpusPair.Post($"peers/{peer}/store", Expand(body)));
        var theirJob = await JobPolling.FinishedJobAsync(theirs, CorpusPair.Post($"peers/{peer}/store", Expand(body)));
        Assert.That(JsonDiff.Differences(ourJob, theirJob, path => JobPolling.Volatile.Contains(path) || path == "/ErrorDetails"), Is.Empty);
        Assert.That(ourJob["Type"]!.GetValue<string>(), Is.EqualTo("OrthancPeerStore"));
    }

    [Test]
    public async Task Store_ToBothKindsOfPeer_FilesArriveByteForByte()
    {
        var (ours, theirs) = Clients();
        foreach (var client in new[] { ours, theirs })
        {
            foreach (var peer in new[] { "sink", "second" })
            {
                using var response = await client.SendAsync(CorpusPair.Post($"peers/{peer}/store", Expand("""{"Resources": ["{MR}", "{CT2Study}"], "Compress": true}""")));
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
            }
        }

        using var secondClient = _second!.Client(IPAddress.Loopback);
        secondClient.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:pw")));
        foreach (var file in new[] { Files[1], Files[2] })
        {
            var original = await File.ReadAllBytesAsync(PydicomCorpus.FullPath(file));
            var id = Id(file, "ID");
            Assert.That(await _sink!.Http.GetByteArrayAsync($"instances/{id}/file"), Is.EqualTo(original), $"{file} in the sink");
            Assert.That(await secondClient.GetByteArrayAsync($"instances/{id}/file"), Is.EqualTo(original), $"{file} in our second instance");
        }
    }

    [Test]
    public async Task Store_WithTranscode_IsRefusedAsNotImplemented()
    {
        var (ours, _) = Clients();
        using var response = await ours.SendAsync(CorpusPair.Post("peers/sink/store", Expand("""{"Resources": ["{CT}"], "Transcode": "1.2.840.10008.1.2.1"}""")));
        Assert.That((int)response.StatusCode, Is.EqualTo(501));
        Assert.That(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["OrthancStatus"]!.GetValue<int>(), Is.EqualTo(2));
    }

    // The file goes to the peer without being stored here; "wrong" refuses our credentials, and the
    // sink refuses what is not DICOM. Who sends first gets "Success", the other "AlreadyStored". A
    // failed connection's Details is the HTTP library's own text (libcurl's for Orthanc).
    [TestCase("second", "test_files/rtplan.dcm")]
    [TestCase("wrong", "test_files/rtplan.dcm")]
    [TestCase("dead", "test_files/rtplan.dcm")]
    [TestCase("nope", "test_files/rtplan.dcm")]
    [TestCase("sink", null)]
    public async Task StoreStraight_SameAnswerAsOrthanc(string peer, string? file)
    {
        var (ours, theirs) = Clients();
        var bytes = file is null ? "not DICOM"u8.ToArray() : await File.ReadAllBytesAsync(PydicomCorpus.FullPath(file));
        var before = await CorpusPair.GetJsonAsync(ours, "instances");
        await CorpusPair.AssertSameAnswerAsync(ours, theirs, () => new HttpRequestMessage(HttpMethod.Post, $"peers/{peer}/store-straight")
        {
            Content = new ByteArrayContent(bytes),
        }, skip: path => path == "/Status" || peer == "dead" && path == "/Details");
        Assert.That(JsonNode.DeepEquals(await CorpusPair.GetJsonAsync(ours, "instances"), before), "nothing stored here");
    }

    [Test]
    public async Task StoreStraight_PeerGetsTheFileByteForByte()
    {
        var (ours, _) = Clients();
        var original = await File.ReadAllBytesAsync(PydicomCorpus.FullPath("test_files/rtdose.dcm"));
        using var response = await ours.PostAsync("peers/second/store-straight", new ByteArrayContent(original));
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(answer["Status"]!.GetValue<string>(), Is.EqualTo("Success"), answer.ToJsonString());
        using var secondClient = _second!.Client(IPAddress.Loopback);
        secondClient.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:pw")));
        Assert.That(await secondClient.GetByteArrayAsync($"instances/{answer["ID"]!.GetValue<string>()}/file"), Is.EqualTo(original));
    }
}
