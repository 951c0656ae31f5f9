using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Rest.Security;
using DicomScript.Rest.Tests.Support;
using DicomScript.Server.Configuration;
using DicomScript.Storage.Index;
using NUnit.Framework;

namespace DicomScript.Rest.Tests;

/// <summary>
/// RemoteAccessAllowed, AuthenticationEnabled and RegisteredUsers. A "remote" client is one calling
/// from 127.0.0.2: still loopback, but not 127.0.0.1, which is all Orthanc counts as local.
/// </summary>
[TestFixture]
[NonParallelizable]
public class HttpSecurityTests
{
    private static readonly IPAddress Remote = IPAddress.Parse("127.0.0.2");

    private static JsonObject Users() => new() { ["alice"] = "s3cret" };

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    [Test]
    public async Task Defaults_LocalServedRemoteRefusedWithOrthancsRealm()
    {
        await using var ours = await RestArchive.StartAsync();
        Assert.That((await ours.Http.GetAsync("system")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var remote = ours.Client(Remote);
        using var refused = await remote.GetAsync("system");
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(refused.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Basic realm=\"Orthanc Secure Area\""));
    }

    [Test]
    public async Task RemoteClient_RefusedAlsoByOrthanc()
    {
        // The same rule in the real Orthanc: a client at 127.0.0.2 is not local.
        using var orthanc = OrthancServer.Start();
        using var remote = RestArchive.ClientFrom(Remote, orthanc.Http.BaseAddress!.Port);
        using var refused = await remote.GetAsync("system");
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(refused.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Basic realm=\"Orthanc Secure Area\""));
    }

    [Test]
    public async Task RemoteAccessAllowed_AuthenticationOnByDefault_OnlyRightCredentials()
    {
        await using var ours = await RestArchive.StartAsync(new JsonObject { ["RemoteAccessAllowed"] = true, ["RegisteredUsers"] = Users() });
        using var remote = ours.Client(Remote);
        Assert.That((await remote.GetAsync("system")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "no credentials");
        Assert.That((await ours.Http.GetAsync("system")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "local clients authenticate too");

        foreach (var (user, password) in new[] { ("alice", "wrong"), ("bob", "s3cret"), ("alice", "s3cret2"), ("alice", "") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "system") { Headers = { Authorization = Basic(user, password) } };
            Assert.That((await remote.SendAsync(request)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), $"{user}:{password}");
        }

        using var garbage = new HttpRequestMessage(HttpMethod.Get, "system") { Headers = { Authorization = new AuthenticationHeaderValue("Basic", "%%%") } };
        Assert.That((await remote.SendAsync(garbage)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "not base64");

        using var right = new HttpRequestMessage(HttpMethod.Get, "system") { Headers = { Authorization = Basic("alice", "s3cret") } };
        using var answer = await remote.SendAsync(right);
        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["IsHttpServerSecure"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public async Task Upload_RecordsTheAuthenticatedUserAndAddress()
    {
        PydicomCorpus.Require();
        await using var ours = await RestArchive.StartAsync(new JsonObject { ["RemoteAccessAllowed"] = true, ["RegisteredUsers"] = Users() });
        using var remote = ours.Client(Remote);
        using var request = new HttpRequestMessage(HttpMethod.Post, "instances")
        {
            Headers = { Authorization = Basic("alice", "s3cret") },
            Content = new ByteArrayContent(await File.ReadAllBytesAsync(PydicomCorpus.FullPath("test_files/CT_small.dcm"))),
        };
        using var answer = await remote.SendAsync(request);
        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var id = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["ID"]!.GetValue<string>();
        Assert.That(ours.Archive.Index.GetMetadata(id, MetadataType.HttpUsername), Is.EqualTo("alice"));
        Assert.That(ours.Archive.Index.GetMetadata(id, MetadataType.RemoteIP), Is.EqualTo("127.0.0.2"));
        Assert.That(ours.Archive.Index.GetMetadata(id, MetadataType.Origin), Is.EqualTo("RestApi"));
    }

    [Test]
    public async Task RemoteAccessWithoutAuthentication_ServedButFlaggedInsecure()
    {
        var settings = new JsonObject { ["RemoteAccessAllowed"] = true, ["AuthenticationEnabled"] = false };
        await using var ours = await RestArchive.StartAsync(settings);
        using var remote = ours.Client(Remote);
        using var answer = await remote.GetAsync("system");
        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["IsHttpServerSecure"]!.GetValue<bool>(), Is.False);
        Assert.That(HttpSecurity.StartupWarnings(ours.Archive.Configuration), Has.One.Contains("INSECURE"));
    }

    [Test]
    public async Task AuthenticationWithoutUsers_EveryoneRefusedNoDefaultUser()
    {
        // Orthanc would create the user orthanc/orthanc here; we refuse everyone and say why at start.
        await using var ours = await RestArchive.StartAsync(new JsonObject { ["RemoteAccessAllowed"] = true });
        using var request = new HttpRequestMessage(HttpMethod.Get, "system") { Headers = { Authorization = Basic("orthanc", "orthanc") } };
        Assert.That((await ours.Http.SendAsync(request)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(HttpSecurity.StartupWarnings(ours.Archive.Configuration), Has.One.Contains("RegisteredUsers"));
    }

    [Test]
    public void StartupWarnings_SecureDefaults_None()
    {
        Assert.That(HttpSecurity.StartupWarnings(ConfigurationLoader.Load(null)), Is.Empty);
    }
}
