using System.Globalization;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Rest.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Rest.Tests;

/// <summary>
/// <c>/modalities</c> against the real Orthanc 1.10.1, both configured with the same
/// DicomModalities in both of Orthanc's forms and with DicomEchoChecksFind: the lists, each
/// modality's configuration, C-ECHO (and the C-FIND after it) to a live dcmtk storescp (which does
/// not take C-FIND), to a dcmqrscp (which does), to a port where nobody listens and to an unknown
/// name, by name and by <c>/tools/dicom-echo</c>; and <c>/store-straight</c>.
/// </summary>
[TestFixture]
[NonParallelizable]
public class ModalityOracleTests
{
    private PeerProcess? _storescp;
    private QueryRetrieveScp? _qrscp;
    private DirectoryInfo? _folder;
    private int _storescpPort;
    private OrthancServer? _orthanc;
    private RestArchive? _ours;

    [OneTimeSetUp]
    public async Task StartBoth()
    {
        if (ExternalTools.Find("/usr/sbin/Orthanc") is null || ExternalTools.Find("storescp") is null)
            return;
        var port = _storescpPort = ExternalTools.FreeLoopbackPort();
        _folder = Directory.CreateTempSubdirectory("modalities-");
        _storescp = PeerProcess.Start("storescp", "dcmtk", ["-aet", "STORESCP", "-od", _folder.FullName, port.ToString(CultureInfo.InvariantCulture)], port);
        _qrscp = await QueryRetrieveScp.StartAsync(_folder, ["test_files/CT_small.dcm"], []);
        var settings = new JsonObject
        {
            ["DicomEchoChecksFind"] = true,
            ["DicomModalities"] = new JsonObject
            {
                ["scp"] = new JsonArray("STORESCP", "127.0.0.1", port),
                ["qr"] = new JsonArray("QRSCP", "127.0.0.1", _qrscp.Port),
                ["dead"] = new JsonArray("NOBODY", "127.0.0.1", ExternalTools.FreeLoopbackPort(), "GE"),
                ["strict"] = new JsonObject
                {
                    ["AET"] = "STORESCP", ["Host"] = "127.0.0.1", ["Port"] = port.ToString(CultureInfo.InvariantCulture), ["AllowStore"] = false,
                    ["AllowNAction"] = false, ["LocalAet"] = "CALLER", ["Timeout"] = 7,
                },
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
        _storescp?.Dispose();
        _qrscp?.Dispose();
        _folder?.Delete(recursive: true);
    }

    private (HttpClient Ours, HttpClient Theirs) Clients()
    {
        ExternalTools.Require("/usr/sbin/Orthanc", "orthanc");
        ExternalTools.Require("storescp", "dcmtk");
        ExternalTools.Require("dcmqrscp", "dcmtk");
        return (_ours!.Http, _orthanc!.Http);
    }

    [TestCase("modalities")]
    [TestCase("modalities?expand")]
    [TestCase("modalities/scp")]
    [TestCase("modalities/nope")]
    [TestCase("modalities/scp/configuration")]
    [TestCase("modalities/strict/configuration")]
    [TestCase("modalities/dead/configuration")]
    [TestCase("modalities/nope/configuration")]
    public async Task Get_SameAnswerAsOrthanc(string path)
    {
        var (ours, theirs) = Clients();
        await CorpusPair.AssertSameErrorAsync(ours, theirs, path);
    }

    // storescp answers the echo but not the C-FIND that DicomEchoChecksFind adds (Orthanc's error 2016).
    [TestCase("scp", "")]
    [TestCase("scp", "{}")]
    [TestCase("scp", """{"Timeout":5}""")]
    [TestCase("scp", """{"CheckFind":false}""")]
    [TestCase("scp", """{"CheckFind":"yes"}""")]
    [TestCase("scp", """{"Timeout":-1}""")]
    [TestCase("qr", "{}")]
    [TestCase("qr", """{"CheckFind":true}""")]
    [TestCase("strict", """{"CheckFind":false}""")]
    [TestCase("dead", "{}")]
    [TestCase("dead", """{"CheckFind":"yes"}""")]
    [TestCase("nope", "{}")]
    [TestCase("scp", "not json")]
    public async Task Echo_SameAnswerAsOrthanc(string modality, string body)
    {
        var (ours, theirs) = Clients();
        // A failed connection's Details is the network library's own text (dcmtk's for Orthanc).
        await CorpusPair.AssertSameAnswerAsync(ours, theirs, () => CorpusPair.Post($"modalities/{modality}/echo", body),
            skip: modality == "dead" ? path => path == "/Details" : null);
    }

    [TestCase("""{"AET":"STORESCP","Host":"127.0.0.1","Port":{port},"CheckFind":false}""")]
    [TestCase("""["STORESCP","127.0.0.1",{port}]""")]
    [TestCase("""{"AET":"STORESCP","Host":"127.0.0.1","Port":"{port}","CheckFind":false}""")]
    [TestCase("""{"AET":"STORESCP","Host":"127.0.0.1","Port":{port},"CheckFind":true}""")]
    [TestCase("""{"AET":"QRSCP","Host":"127.0.0.1","Port":{qrport},"CheckFind":true,"Timeout":5}""")]
    [TestCase("""{"AET":"STORESCP","Host":"127.0.0.1"}""")]
    [TestCase("""{"Host":"127.0.0.1","Port":{port}}""")]
    [TestCase("""{"AET":"STORESCP","Host":"127.0.0.1","Port":{port},"Timeout":-1}""")]
    [TestCase("""{"AET":"STORESCP","Host":"127.0.0.1","Port":{port},"CheckFind":"yes"}""")]
    [TestCase("""{"AET":"STORESCP","Host":"127.0.0.1","Port":{port},"AllowEcho":"yes"}""")]
    [TestCase("""{"AET":"STORESCP","Host":"127.0.0.1","Port":70000}""")]
    [TestCase("""{"AET":"STORESCP","Host":"127.0.0.1","Port":{port},"Manufacturer":"Foo"}""")]
    [TestCase("""{"AET":"STORESCP","Host":"127.0.0.1","Port":{port},"Manufacturer":"ClearCanvas","CheckFind":false}""")]
    [TestCase("")]
    [TestCase("nonsense")]
    [TestCase("[]")]
    [TestCase("3")]
    public async Task EchoTool_SameAnswerAsOrthanc(string body)
    {
        var (ours, theirs) = Clients();
        body = body.Replace("{port}", _storescpPort.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{qrport}", _qrscp!.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        await CorpusPair.AssertSameAnswerAsync(ours, theirs, () => CorpusPair.Post("tools/dicom-echo", body));
    }

    [Test]
    public async Task EchoTool_NobodyListening_NetworkError()
    {
        var (ours, _) = Clients();
        using var response = await ours.SendAsync(CorpusPair.Post("tools/dicom-echo", $$"""{"AET":"X","Host":"127.0.0.1","Port":{{ExternalTools.FreeLoopbackPort()}}}"""));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(((int)response.StatusCode, error["OrthancStatus"]!.GetValue<int>()), Is.EqualTo((500, 9)));
        Assert.That(error["Details"]!.GetValue<string>(), Does.StartWith("DicomAssociation - connecting to AET \"X\""));
    }

    [Test]
    public async Task Echo_LiveModality_Succeeds()
    {
        var (ours, _) = Clients();
        using var response = await ours.PostAsync("modalities/scp/echo", new StringContent("""{"CheckFind":false}"""));
        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("{}"));
    }

    [TestCase("scp", "test_files/CT_small.dcm")]
    [TestCase("scp", "test_files/JPEG2000.dcm")]
    [TestCase("dead", "test_files/CT_small.dcm")]
    [TestCase("nope", "test_files/CT_small.dcm")]
    [TestCase("scp", null)]
    public async Task StoreStraight_SameAnswerAsOrthanc(string modality, string? file)
    {
        var (ours, theirs) = Clients();
        var bytes = file is null ? "not DICOM"u8.ToArray() : await File.ReadAllBytesAsync(PydicomCorpus.FullPath(file));
        await CorpusPair.AssertSameAnswerAsync(ours, theirs, () => new HttpRequestMessage(HttpMethod.Post, $"modalities/{modality}/store-straight")
        {
            Content = new ByteArrayContent(bytes),
        }, skip: modality == "dead" ? path => path == "/Details" : null);
    }

    [Test]
    public async Task StoreStraight_Modality_ReceivesTheFileAndNothingIsStoredHere()
    {
        var (ours, _) = Clients();
        var file = PydicomCorpus.FullPath("test_files/MR_small.dcm");
        using var response = await ours.PostAsync("modalities/scp/store-straight", new ByteArrayContent(await File.ReadAllBytesAsync(file)));
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        var sopInstanceUid = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["SOPInstanceUID"]!.GetValue<string>();
        Assert.That(Directory.GetFiles(_folder!.FullName).Select(Path.GetFileName), Has.Some.EndsWith(sopInstanceUid));
        Assert.That(await CorpusPair.GetJsonAsync(ours, "instances"), Is.Empty);
    }
}
