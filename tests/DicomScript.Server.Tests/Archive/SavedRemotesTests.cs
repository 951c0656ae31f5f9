using System.Net;
using DicomScript.Server.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace DicomScript.Server.Tests.Archive;

/// <summary>
/// Modalities and peers added or removed at run time (what PUT/DELETE /modalities and /peers do):
/// with DicomModalitiesInDatabase / OrthancPeersInDatabase they are kept in the index and replace
/// the configuration file's lists at the next start; without, they last until the server stops.
/// </summary>
[TestFixture]
public class SavedRemotesTests
{
    private DirectoryInfo _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("remotes-");

    [TearDown]
    public void DeleteFolder() => _folder.Delete(recursive: true);

    private DicomScriptServer Create(bool inDatabase)
    {
        var config = Path.Combine(_folder.FullName, "orthanc.json");
        File.WriteAllText(config, $$"""
            { "DicomServerEnabled": false, "StorageDirectory": "storage",
              "DicomModalitiesInDatabase": {{(inDatabase ? "true" : "false")}}, "OrthancPeersInDatabase": {{(inDatabase ? "true" : "false")}},
              "DicomModalities": { "fromfile": ["FILE", "127.0.0.1", 104] },
              "OrthancPeers": { "filepeer": ["http://127.0.0.1:8999/"] } }
            """);
        return DicomScriptServer.Create(ConfigurationLoader.Load(config), NullLoggerFactory.Instance, bindAddress: IPAddress.Loopback);
    }

    private static string[] ModalityNames(DicomScriptServer server) => [.. server.Configuration.DicomModalities.Select(m => m.Name)];

    private static string[] PeerNames(DicomScriptServer server) => [.. server.Configuration.OrthancPeers.Select(p => p.Name)];

    [Test]
    public async Task InDatabase_ChangesSurviveARestart_FileListsIgnored()
    {
        await using (var server = Create(inDatabase: true))
        {
            Assert.That((ModalityNames(server), PeerNames(server)), Is.EqualTo((Array.Empty<string>(), Array.Empty<string>())), "the index holds no list yet");
            server.SaveModality(new DicomModality("b", "B", "127.0.0.1", 105) { AllowStore = false, Timeout = 3 });
            server.SaveModality(new DicomModality("a", "A", "127.0.0.1", 104));
            server.SaveModality(new DicomModality("gone", "G", "127.0.0.1", 106));
            Assert.That(server.DeleteModality("gone"), Is.True);
            Assert.That(server.DeleteModality("gone"), Is.False);
            server.SavePeer(new OrthancPeer("secure", new Uri("http://127.0.0.1:8043/"), "alice", "secret"));
        }

        await using (var restarted = Create(inDatabase: true))
        {
            Assert.That(ModalityNames(restarted), Is.EqualTo(new[] { "a", "b" }));
            var b = restarted.Configuration.ModalityNamed("b")!;
            Assert.That((b.AET, b.Port, b.AllowStore, b.Timeout), Is.EqualTo(("B", 105, false, 3)));
            var peer = restarted.Configuration.PeerNamed("secure")!;
            Assert.That((PeerNames(restarted).Length, peer.Username, peer.Password), Is.EqualTo((1, "alice", "secret")), "the password is kept, as by Orthanc");
        }
    }

    [Test]
    public async Task NotInDatabase_ChangesLastUntilTheServerStops()
    {
        await using (var server = Create(inDatabase: false))
        {
            server.SaveModality(new DicomModality("added", "ADDED", "127.0.0.1", 104));
            server.SavePeer(new OrthancPeer("addedpeer", new Uri("http://127.0.0.1:9000/"), null, null));
            Assert.That(server.DeleteModality("fromfile"), Is.True);
            Assert.That((ModalityNames(server), PeerNames(server)), Is.EqualTo((new[] { "added" }, new[] { "addedpeer", "filepeer" })));
        }

        await using var restarted = Create(inDatabase: false);
        Assert.That((ModalityNames(restarted), PeerNames(restarted)), Is.EqualTo((new[] { "fromfile" }, new[] { "filepeer" })));
    }

    [Test]
    public async Task BadName_Refused_NothingChanged()
    {
        await using var server = Create(inDatabase: true);
        Assert.Throws<ConfigurationException>(() => server.SaveModality(new DicomModality("bad.name", "A", "127.0.0.1", 104)));
        Assert.That(ModalityNames(server), Is.Empty);
    }
}
