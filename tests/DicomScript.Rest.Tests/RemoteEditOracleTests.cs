using System.Net;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Rest.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Rest.Tests;

/// <summary>
/// <c>PUT</c> and <c>DELETE</c> of <c>/modalities/{name}</c> and <c>/peers/{name}</c> against the
/// real Orthanc 1.10.1: the same series of edits, valid and not, goes to both; after each one, the
/// answer and the whole list (<c>?expand</c>) must be the same.
/// </summary>
[TestFixture]
[NonParallelizable]
public class RemoteEditOracleTests
{
    private OrthancServer? _orthanc;
    private RestArchive? _ours;

    [OneTimeSetUp]
    public async Task StartBoth()
    {
        if (ExternalTools.Find("/usr/sbin/Orthanc") is null)
            return;
        var settings = new JsonObject
        {
            ["DicomModalities"] = new JsonObject { ["file"] = new JsonArray("FILE", "127.0.0.1", 104) },
            ["OrthancPeers"] = new JsonObject { ["filepeer"] = new JsonArray("http://127.0.0.1:8999/") },
        };
        _orthanc = OrthancServer.Start(settings);
        _ours = await RestArchive.StartAsync(settings);
    }

    [OneTimeTearDown]
    public async Task StopBoth()
    {
        if (_ours is not null)
            await _ours.DisposeAsync();
        _orthanc?.Dispose();
    }

    private static readonly (string Method, string Name, string Body)[] ModalityEdits =
    [
        ("PUT", "new1", """{"AET":"A","Host":"127.0.0.1","Port":104}"""),
        ("PUT", "new1", """["B","h",105,"GE"]"""),
        ("PUT", "new2", """{"AET":"C","Host":"h","Port":"106","AllowStorageCommitment":false,"Manufacturer":"ClearCanvas","LocalAet":"ME","Timeout":4,"AllowStore":false}"""),
        ("PUT", "new3", """{"AET":"D","Host":"h","Port":107,"Manufacturer":"SyngoVia","AllowNAction":false}"""),
        ("PUT", "file", """{"AET":"REPLACED","Host":"h","Port":108}"""),
        ("PUT", "new1", "bad"),
        ("PUT", "new1", """{"AET":"A"}"""),
        ("PUT", "new1", """{"Host":"h","Port":104}"""),
        ("PUT", "new1", """{"AET":"A","Host":"h","Port":104,"AllowEcho":1}"""),
        ("PUT", "new1", """{"AET":"A","Host":"h","Port":"x"}"""),
        ("PUT", "new1", """{"AET":"A","Host":"h"}"""),
        ("PUT", "new1", """{"AET":"A","Host":"h","Port":65535}"""),
        ("PUT", "new1", """{"AET":"A","Host":"h","Port":104,"Manufacturer":"Foo"}"""),
        ("PUT", "new1", """["A","h"]"""),
        ("PUT", "new1", """{"AET":"A","Host":"h","Port":104,"Timeout":-2}"""),
        ("PUT", "new1", "42"),
        ("PUT", "bad.name", """{"AET":"A","Host":"h","Port":104}"""),
        ("PUT", "bad.name", """{"AET":"A"}"""),
        ("DELETE", "new3", ""),
        ("DELETE", "new3", ""),
        ("DELETE", "file", ""),
    ];

    // Orthanc answers a peer body that is not JSON with an empty 404; we say 400 (README).
    private static readonly (string Method, string Name, string Body)[] PeerEdits =
    [
        ("PUT", "p1", """{"Url":"http://127.0.0.1:1/"}"""),
        ("PUT", "p2", """["http://127.0.0.1:2"]"""),
        ("PUT", "p3", """["http://h:3/","u","p"]"""),
        ("PUT", "p1", """{"Url":"http://h/","Username":"u","Password":"p","HttpHeaders":{"X-A":"1"},"Timeout":5}"""),
        ("PUT", "p4", """{"URL":"http://h:4/","Username":"u"}"""),
        ("PUT", "filepeer", """["http://127.0.0.1:9000/"]"""),
        ("PUT", "p1", "{}"),
        ("PUT", "p1", """{"Url":3}"""),
        ("PUT", "p1", """{"Url":"ftp://x"}"""),
        ("PUT", "p1", """{"Url":"http://h/","Timeout":-3}"""),
        ("PUT", "p1", """{"Url":"http://h/","HttpHeaders":{"a":1}}"""),
        ("PUT", "p1", """{"Url":"http://h/","HttpHeaders":"a"}"""),
        ("PUT", "p1", """["a","b"]"""),
        ("PUT", "a.b", """["http://h/"]"""),
        ("DELETE", "p2", ""),
        ("DELETE", "p2", ""),
        ("DELETE", "filepeer", ""),
    ];

    [Test]
    public Task Modalities_SameEditsSameAnswers() => ApplyToBothAsync("modalities", ModalityEdits);

    [Test]
    public Task Peers_SameEditsSameAnswers() => ApplyToBothAsync("peers", PeerEdits);

    [Test]
    public async Task Peers_BodyNotJson_Refused()
    {
        ExternalTools.Require("/usr/sbin/Orthanc", "orthanc");
        using var response = await _ours!.Http.PutAsync("peers/p9", new StringContent("bad"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        using var list = await _ours.Http.GetAsync("peers/p9");
        Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "nothing kept");
    }

    [Test]
    public async Task Modality_PutThenEcho_UsesTheNewEntry()
    {
        ExternalTools.Require("/usr/sbin/Orthanc", "orthanc");
        ExternalTools.Require("storescp", "dcmtk");
        var port = ExternalTools.FreeLoopbackPort();
        using var storescp = PeerProcess.Start("storescp", "dcmtk", ["-aet", "LATE", port.ToString(System.Globalization.CultureInfo.InvariantCulture)], port);
        using var put = await _ours!.Http.PutAsync("modalities/late", new StringContent($$"""{"AET":"LATE","Host":"127.0.0.1","Port":{{port}}}"""));
        try
        {
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            using var echo = await _ours.Http.PostAsync("modalities/late/echo", new StringContent("{}"));
            Assert.That(echo.StatusCode, Is.EqualTo(HttpStatusCode.OK), await echo.Content.ReadAsStringAsync());
        }
        finally
        {
            (await _ours.Http.DeleteAsync("modalities/late")).Dispose(); // the other tests compare the lists with Orthanc's
        }
    }

    private async Task ApplyToBothAsync(string kind, (string Method, string Name, string Body)[] edits)
    {
        ExternalTools.Require("/usr/sbin/Orthanc", "orthanc");
        var (ours, theirs) = (_ours!.Http, _orthanc!.Http);
        foreach (var (method, name, body) in edits)
        {
            await CorpusPair.AssertSameAnswerAsync(ours, theirs, () => new HttpRequestMessage(new HttpMethod(method), $"{kind}/{name}")
            {
                Content = method == "PUT" ? new StringContent(body) : null,
            });
            await CorpusPair.AssertSameAnswerAsync(ours, theirs, () => new HttpRequestMessage(HttpMethod.Get, $"{kind}?expand"));
        }
    }
}
