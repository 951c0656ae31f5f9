using System.Globalization;
using System.Net;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Server.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace DicomScript.Server.Tests.Archive;

/// <summary>DicomAlwaysAllow*, DicomModalities' Allow* flags and host checks, observed from dcmtk.</summary>
[TestFixture]
[NonParallelizable]
public class AllowListTests
{
    private DirectoryInfo _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("allow-");

    [TearDown]
    public void DeleteFolder() => _folder.Delete(recursive: true);

    private DicomScriptServer Start(string extraJson)
    {
        var config = Path.Combine(_folder.FullName, "orthanc.json");
        File.WriteAllText(config, $$"""{ "DicomAet": "ARCHIVE", "DicomPort": 0, "StorageDirectory": "storage", {{extraJson}} }""");
        var server = DicomScriptServer.Create(ConfigurationLoader.Load(config), NullLoggerFactory.Instance, bindAddress: IPAddress.Loopback);
        server.Start();
        return server;
    }

    private static int Echo(DicomScriptServer server, string callingAet) =>
        ExternalTools.Run(ExternalTools.Require("echoscu", "dcmtk"), ["-aet", callingAet, "-aec", "ARCHIVE", "127.0.0.1", server.DicomPort.ToString(CultureInfo.InvariantCulture)]).ExitCode;

    private static int Store(DicomScriptServer server, string callingAet)
    {
        PydicomCorpus.Require();
        return ExternalTools.Run(ExternalTools.Require("storescu", "dcmtk"), ["-R", "-aet", callingAet, "-aec", "ARCHIVE", "127.0.0.1",
            server.DicomPort.ToString(CultureInfo.InvariantCulture), PydicomCorpus.FullPath("test_files/CT_small.dcm")]).ExitCode;
    }

    [Test]
    public async Task Defaults_AnyoneMayEchoAndStore()
    {
        await using var server = Start("\"DicomModalities\": {}");
        Assert.That(Echo(server, "ANYONE"), Is.Zero);
        Assert.That(Store(server, "ANYONE"), Is.Zero);
    }

    [Test]
    public async Task EchoNotAlwaysAllowed_OnlyKnownModalitiesEcho_CaseInsensitive()
    {
        await using var server = Start("""
            "DicomAlwaysAllowEcho": false,
            "DicomModalities": { "ct": ["CTSCANNER", "127.0.0.1", 104] }
            """);
        Assert.That(Echo(server, "ctscanner"), Is.Zero, "a known modality, AET compared without case");
        Assert.That(Echo(server, "STRANGER"), Is.Not.Zero, "echo refused to an unknown AE");
        Assert.That(Store(server, "STRANGER"), Is.Zero, "store is still always allowed");
    }

    [Test]
    public async Task NothingAlwaysAllowed_UnknownCallerRejected_ModalityFlagsApply()
    {
        await using var server = Start("""
            "DicomAlwaysAllowEcho": false, "DicomAlwaysAllowStore": false,
            "DicomModalities": {
                "viewer": { "AET": "VIEWER", "Host": "127.0.0.1", "Port": 104, "AllowStore": false },
                "ct": ["CT", "127.0.0.1", 104] }
            """);
        Assert.That(Echo(server, "STRANGER"), Is.Not.Zero);
        Assert.That(Store(server, "VIEWER"), Is.Not.Zero, "AllowStore false");
        Assert.That(Echo(server, "VIEWER"), Is.Zero);
        Assert.That(Store(server, "CT"), Is.Zero);
        Assert.That(server.Index.Statistics().Instances, Is.EqualTo(1));
    }

    [Test]
    public async Task CheckModalityHost_KnownAetFromAnotherHost_Refused()
    {
        await using var server = Start("""
            "DicomAlwaysAllowEcho": false, "DicomAlwaysAllowStore": false, "DicomCheckModalityHost": true,
            "DicomModalities": { "ct": ["CT", "192.0.2.10", 104], "local": ["LOCAL", "127.0.0.1", 104] }
            """);
        Assert.That(Echo(server, "CT"), Is.Not.Zero, "CT is known, but not at 127.0.0.1");
        Assert.That(Echo(server, "LOCAL"), Is.Zero);
    }

    private static int Find(DicomScriptServer server, string callingAet) =>
        ExternalTools.Run(ExternalTools.Require("findscu", "dcmtk"), ["-S", "-aet", callingAet, "-aec", "ARCHIVE", "-k", "QueryRetrieveLevel=STUDY",
            "-k", "StudyInstanceUID", "127.0.0.1", server.DicomPort.ToString(CultureInfo.InvariantCulture)]).ExitCode;

    [Test]
    public async Task Find_OnlyForModalitiesAllowedToFind_UnlessAlwaysAllowed()
    {
        await using (var server = Start("""
            "DicomModalities": { "viewer": ["VIEWER", "127.0.0.1", 104], "ct": { "AET": "CT", "Host": "127.0.0.1", "Port": 104, "AllowFind": false } }
            """))
        {
            Assert.That(Find(server, "VIEWER"), Is.Zero, "a known modality may find by default");
            Assert.That(Find(server, "CT"), Is.Not.Zero, "AllowFind false");
            Assert.That(Find(server, "STRANGER"), Is.Not.Zero, "DicomAlwaysAllowFind is false by default");
        }

        await using var open = Start("\"DicomAlwaysAllowFind\": true");
        Assert.That(Find(open, "STRANGER"), Is.Zero);
    }
}
