using System.Net;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.Json;
using DicomScript.Server.Configuration;
using DicomScript.Server.Ingest;
using DicomScript.Server.Jobs;
using DicomScript.Server.Modification;
using DicomScript.Storage.Identifiers;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace DicomScript.Server.Tests.Jobs;

/// <summary>Each job type survives being saved and read back (what a restart does): same saved form, same public content.</summary>
[TestFixture]
public class JobFactoryTests
{
    private DirectoryInfo _folder = null!;
    private DicomScriptServer _archive = null!;

    [SetUp]
    public void Create()
    {
        _folder = Directory.CreateTempSubdirectory("job-factory-");
        var config = Path.Combine(_folder.FullName, "orthanc.json");
        File.WriteAllText(config, """
            { "DicomServerEnabled": false, "StorageDirectory": "storage",
              "DicomModalities": { "pacs": { "AET": "PACS", "Host": "127.0.0.1", "Port": 104, "LocalAet": "ME", "Timeout": 9, "AllowStore": false } },
              "OrthancPeers": { "plain": ["http://127.0.0.1:8043"], "secured": { "Url": "http://127.0.0.1:8044/", "Username": "alice", "Password": "pw",
                  "HttpHeaders": { "X-Token": "t" }, "Timeout": 7 } } }
            """);
        _archive = DicomScriptServer.Create(ConfigurationLoader.Load(config), NullLoggerFactory.Instance, bindAddress: IPAddress.Loopback);
    }

    [TearDown]
    public async Task Delete()
    {
        await _archive.DisposeAsync();
        _folder.Delete(recursive: true);
    }

    private static IEnumerable<TestCaseData> Jobs()
    {
        yield return new TestCaseData((Func<DicomScriptServer, Job>)(a => new DicomModalityStoreJob(a,
                new StoreJobTarget(a.Configuration.DicomModalities[0], "CALLER") { Timeout = 3, MoveOriginatorAet = "MOVER", MoveOriginatorId = 12 },
                ["i1", "i2"], ["s1"], permissive: true, "REST API")))
            .SetName("DicomModalityStore");
        yield return new TestCaseData((Func<DicomScriptServer, Job>)(a => new DicomModalityStoreJob(a,
                new StoreJobTarget(a.Configuration.DicomModalities[0], "ORTHANC"), [], [], permissive: false, "Lua")))
            .SetName("DicomModalityStore_Minimal");
        yield return new TestCaseData((Func<DicomScriptServer, Job>)(a => new OrthancPeerStoreJob(a, a.Configuration.OrthancPeers[0], compress: false, ["i1"], ["i1"], false, "REST API")))
            .SetName("OrthancPeerStore_Plain");
        yield return new TestCaseData((Func<DicomScriptServer, Job>)(a => new OrthancPeerStoreJob(a, a.Configuration.OrthancPeers[1], compress: true, ["i1", "i2", "i3"], ["p"], true, "REST API")))
            .SetName("OrthancPeerStore_Secured");
        yield return new TestCaseData((Func<DicomScriptServer, Job>)(a => new ResourceModificationJob(a,
                ModificationRequest.ParseAnonymize(JsonNode.Parse("""{"Keep": ["ReferencedImageSequence[0].ReferencedSOPInstanceUID"], "Replace": {"OtherPatientIDsSequence": [{"PatientID": "x"}]}}"""),
                    "ACME", () => "Anonymized1"),
                isAnonymization: true, ResourceLevel.Study, ["i1", "i2"], InstanceOrigin.Rest("127.0.0.1", "alice"), keepSource: false, permissive: true, "REST API")
            { Transcode = DicomTransferSyntax.ExplicitVRBigEndian }))
            .SetName("ResourceModification_Anonymize");
        yield return new TestCaseData((Func<DicomScriptServer, Job>)(a => new ResourceModificationJob(a,
                ModificationRequest.ParseModify(JsonNode.Parse("""{"Replace": {"InstitutionName": "x"}, "Remove": ["0009,1001"]}"""), ""),
                isAnonymization: false, outputLevel: null, ["i1"], InstanceOrigin.Lua, keepSource: true, permissive: false, "REST API")))
            .SetName("ResourceModification_Bulk");
        yield return new TestCaseData((Func<DicomScriptServer, Job>)(a => new DicomMoveScuJob(a, a.Configuration.DicomModalities[0], "ME", "SINK", 12,
                [new DicomDataset().AddString(DicomTags.QueryRetrieveLevel, DicomVR.CS, "SERIES").AddString(DicomTags.StudyInstanceUID, DicomVR.UI, "1.2")
                    .AddString(DicomTags.SeriesInstanceUID, DicomVR.UI, "1.2.3").AddString(DicomTags.Modality, DicomVR.CS, "CT")],
                OrthancTagFormat.Simplified, permissive: true, "REST API")))
            .SetName("DicomMoveScu");
    }

    [TestCaseSource(nameof(Jobs))]
    public void SavedAndReadBack_SameJob(Func<DicomScriptServer, Job> make)
    {
        var job = make(_archive);
        var saved = JsonNode.Parse(job.Serialize().ToJsonString())!.AsObject();
        var reloaded = JobFactory.Create(_archive, saved);
        Assert.That(reloaded.GetType(), Is.EqualTo(job.GetType()));
        Assert.That(reloaded.Serialize().ToJsonString(), Is.EqualTo(job.Serialize().ToJsonString()));
        Assert.That(reloaded.PublicContent().ToJsonString(), Is.EqualTo(job.PublicContent().ToJsonString()));
        Assert.That(reloaded.Progress, Is.EqualTo(job.Progress));
    }

    [Test]
    public void SavedPeer_KeepsTheCredentials_ThePublicContentHidesThem()
    {
        var job = new OrthancPeerStoreJob(_archive, _archive.Configuration.OrthancPeers[1], compress: false, ["i1"], [], false, "REST API");
        Assert.That(job.Serialize()["Peer"]!["Password"]!.GetValue<string>(), Is.EqualTo("pw"));
        Assert.That(job.PublicContent()["Peer"]!.AsObject().ContainsKey("Password"), Is.False);
        var reloaded = (OrthancPeerStoreJob)JobFactory.Create(_archive, JsonNode.Parse(job.Serialize().ToJsonString())!.AsObject());
        Assert.That((reloaded.Peer.Username, reloaded.Peer.Password, reloaded.Peer.Timeout, reloaded.Peer.HttpHeaders["X-Token"]), Is.EqualTo(("alice", "pw", 7, "t")));
    }

    [Test]
    public void UnknownType_IsAFormatError() =>
        Assert.Throws<FormatException>(() => JobFactory.Create(_archive, new JsonObject { ["Type"] = "Media" }));
}
