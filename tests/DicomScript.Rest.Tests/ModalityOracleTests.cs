using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Rest.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Rest.Tests;

/// <summary>
/// <c>/modalities</c> against the real Orthanc 1.10.1, both configured with the same
/// DicomModalities in both of Orthanc's forms: the lists, each modality's configuration, and
/// C-ECHO to a live dcmtk storescp, to a port where nobody listens and to an unknown name.
/// </summary>
[TestFixture]
[NonParallelizable]
public class ModalityOracleTests
{
    private PeerProcess? _storescp;
    private OrthancServer? _orthanc;
    private RestArchive? _ours;

    [OneTimeSetUp]
    public async Task StartBoth()
    {
        if (ExternalTools.Find("/usr/sbin/Orthanc") is null || ExternalTools.Find("storescp") is null)
            return;
        var port = ExternalTools.FreeLoopbackPort();
        _storescp = PeerProcess.Start("storescp", "dcmtk", ["-aet", "STORESCP", port.ToString(CultureInfo.InvariantCulture)], port);
        var settings = new JsonObject
        {
            ["DicomModalities"] = new JsonObject
            {
                ["scp"] = new JsonArray("STORESCP", "127.0.0.1", port),
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
    }

    private (HttpClient Ours, HttpClient Theirs) Clients()
    {
        ExternalTools.Require("/usr/sbin/Orthanc", "orthanc");
        ExternalTools.Require("storescp", "dcmtk");
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

    [TestCase("scp", "")]
    [TestCase("scp", "{}")]
    [TestCase("scp", """{"Timeout":5}""")]
    [TestCase("strict", "{}")]
    [TestCase("dead", "{}")]
    [TestCase("nope", "{}")]
    [TestCase("scp", "not json")]
    public async Task Echo_SameAnswerAsOrthanc(string modality, string body)
    {
        var (ours, theirs) = Clients();
        // A failed connection's Details is the network library's own text (dcmtk's for Orthanc).
        await CorpusPair.AssertSameAnswerAsync(ours, theirs, () => new HttpRequestMessage(HttpMethod.Post, $"modalities/{modality}/echo")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        }, skip: modality == "dead" ? path => path == "/Details" : null);
    }

    [Test]
    public async Task Echo_LiveModality_Succeeds()
    {
        var (ours, _) = Clients();
        using var response = await ours.PostAsync("modalities/scp/echo", new StringContent("{}"));
        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("{}"));
    }
}
