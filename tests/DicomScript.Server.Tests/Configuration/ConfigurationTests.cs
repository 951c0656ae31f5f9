using System.Text.Json.Nodes;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Server.Configuration;
using NUnit.Framework;

namespace DicomScript.Server.Tests.Configuration;

[TestFixture]
public class ConfigurationTests
{
    private DirectoryInfo _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("config-");

    [TearDown]
    public void DeleteFolder() => _folder.Delete(recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string RepositoryFile(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DicomScript.sln")))
                return Path.Combine(dir.FullName, name);
        }

        throw new FileNotFoundException(name);
    }

    [Test]
    public void Load_RepositoryOrthancJson_OrthancDefaultsAndPathsBesideIt()
    {
        var path = RepositoryFile("orthanc.json");
        var config = ConfigurationLoader.Load(path);
        Assert.That(config.DicomAet, Is.EqualTo("ORTHANC"));
        Assert.That(config.DicomPort, Is.EqualTo(4242));
        Assert.That(config.HttpPort, Is.EqualTo(8042));
        Assert.That(config.StorageDirectory, Is.EqualTo(Path.Combine(Path.GetDirectoryName(path)!, "OrthancStorage")));
        Assert.That(config.IndexDirectory, Is.EqualTo(config.StorageDirectory));
        Assert.That(config.RemoteAccessAllowed, Is.False);
        Assert.That(config.AuthenticationEnabled, Is.False);
        Assert.That(config.ExecuteLuaEnabled, Is.True);
    }

    [Test]
    public void Load_DebianOrthancConfigurationFolder_ReadsTheRealOrthancFiles()
    {
        if (!File.Exists("/etc/orthanc/orthanc.json"))
            ExternalTools.Missing("Orthanc's configuration is not installed (apt-get install orthanc)");
        var config = ConfigurationLoader.Load("/etc/orthanc");
        Assert.That(config.Files, Has.Count.GreaterThanOrEqualTo(2));
        Assert.That(config.Name, Is.EqualTo("Orthanc"));
        Assert.That(config.DicomAet, Is.EqualTo("ORTHANC"));
        Assert.That(config.StorageDirectory, Is.EqualTo("/var/lib/orthanc/db-v6"));
        Assert.That(config.Json.ContainsKey("RegisteredUsers"), Is.True, "credentials.json was merged");
    }

    [Test]
    public void Load_NoFile_EmbeddedOrthancDefaults()
    {
        var config = ConfigurationLoader.Load(null);
        Assert.That(config.Name, Is.EqualTo("MyOrthanc"));
        Assert.That(config.StableAge, Is.EqualTo(60));
        Assert.That(config.OverwriteInstances, Is.EqualTo(OverwriteMode.Never));
        Assert.That(config.DicomAlwaysAllowEcho && config.DicomAlwaysAllowStore, Is.True);
        Assert.That(config.DicomAlwaysAllowFind || config.DicomAlwaysAllowMove || config.DicomAlwaysAllowGet, Is.False);
        Assert.That(config.LuaCallbackTimeout, Is.EqualTo(60));
        Assert.That(config.ConcurrentJobs, Is.EqualTo(2));
    }

    [Test]
    public void Load_CommentsAndTrailingCommas_Accepted()
    {
        var config = ConfigurationLoader.Load(Write("a.json", """
            {
              // a line comment
              "DicomAet" : "MYPACS", /* a block comment */
              "DicomPort" : 11112,
            }
            """));
        Assert.That(config.DicomAet, Is.EqualTo("MYPACS"));
        Assert.That(config.DicomPort, Is.EqualTo(11112));
    }

    [Test]
    public void Load_SyntaxError_NamesFileAndLine()
    {
        var path = Write("broken.json", "{\n  \"DicomAet\" : \"X\",\n  \"DicomPort\" 4242\n}\n");
        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(path));
        Assert.That(error!.Message, Does.StartWith($"{path}:3:"));
    }

    [Test]
    public void Load_Folder_FilesMergedAndDuplicateKeyRefused()
    {
        Write("1.json", "{ \"DicomAet\": \"A\" }");
        Write("2.json", "{ \"HttpPort\": 9000 }");
        var config = ConfigurationLoader.Load(_folder.FullName);
        Assert.That((config.DicomAet, config.HttpPort), Is.EqualTo(("A", 9000)));

        Write("3.json", "{ \"DicomAet\": \"B\" }");
        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(_folder.FullName));
        Assert.That(error!.Message, Does.Contain("3.json").And.Contain("1.json").And.Contain("DicomAet"));
    }

    [Test]
    public void Values_WrongType_ErrorNamesTheKey()
    {
        var config = ConfigurationLoader.Load(Write("a.json", "{ \"DicomPort\": \"4242x\", \"RemoteAccessAllowed\": \"yes\" }"));
        Assert.That(Assert.Throws<ConfigurationException>(() => _ = config.DicomPort)!.Message, Does.Contain("DicomPort"));
        Assert.That(Assert.Throws<ConfigurationException>(() => _ = config.RemoteAccessAllowed)!.Message, Does.Contain("RemoteAccessAllowed"));
    }

    [Test]
    public void Paths_Relative_ResolvedAgainstTheConfigurationFolder()
    {
        var config = ConfigurationLoader.Load(Write("a.json", "{ \"StorageDirectory\": \"data\", \"IndexDirectory\": \"/abs/index\", \"LuaScripts\": [\"scripts/route.lua\"] }"));
        Assert.That(config.StorageDirectory, Is.EqualTo(Path.Combine(_folder.FullName, "data")));
        Assert.That(config.IndexDirectory, Is.EqualTo("/abs/index"));
        Assert.That(config.LuaScripts, Is.EqualTo(new[] { Path.Combine(_folder.FullName, "scripts", "route.lua") }));
    }

    [Test]
    public void Modalities_BothForms()
    {
        var config = ConfigurationLoader.Load(Write("a.json", """
            { "DicomModalities": {
                "sample": ["STORESCP", "127.0.0.1", 2000],
                "ge": ["GEPACS", "127.0.0.1", "104", "GE"],
                "pacs": { "AET": "PACS", "Host": "127.0.0.1", "Port": 4243, "AllowStore": false, "LocalAet": "ME", "Timeout": 5 } } }
            """));
        var modalities = config.DicomModalities.ToDictionary(m => m.Name);
        Assert.That(modalities["sample"], Is.EqualTo(new DicomModality("sample", "STORESCP", "127.0.0.1", 2000)));
        Assert.That(modalities["ge"].Port, Is.EqualTo(104));
        Assert.That(modalities["ge"].Manufacturer, Is.EqualTo("GE"));
        Assert.That(modalities["pacs"].AllowStore, Is.False);
        Assert.That(modalities["pacs"].AllowMove, Is.True);
        Assert.That((modalities["pacs"].LocalAet, modalities["pacs"].Timeout), Is.EqualTo(("ME", 5)));
    }

    [Test]
    public void Modalities_BadEntry_ErrorNamesIt()
    {
        var config = ConfigurationLoader.Load(Write("a.json", "{ \"DicomModalities\": { \"bad\": [\"AET\", \"host\", 70000] } }"));
        Assert.That(Assert.Throws<ConfigurationException>(() => _ = config.DicomModalities)!.Message, Does.Contain("DicomModalities.bad"));
    }

    [Test]
    public void Modality_StorageCommitment_SetsNActionAndEventReport()
    {
        var modality = DicomModality.Parse("m", JsonNode.Parse("""{"AET":"A","Host":"h","Port":104,"AllowNAction":true,"AllowStorageCommitment":false}"""));
        Assert.That((modality.AllowNAction, modality.AllowEventReport, modality.AllowStore), Is.EqualTo((false, false, true)));
    }

    [TestCase("AgfaImpax", "GenericNoWildcardInDates")]
    [TestCase("SyngoVia", "GenericNoWildcardInDates")]
    [TestCase("ClearCanvas", "Generic")]
    [TestCase("GenericNoUniversalWildcard", "GenericNoUniversalWildcard")]
    public void Modality_Manufacturer_ObsoleteNamesMapped(string given, string expected) =>
        Assert.That(DicomModality.Parse("m", JsonNode.Parse($$"""["A","h",104,"{{given}}"]""")).Manufacturer, Is.EqualTo(expected));

    // The message names the entry for a configuration file; Error and Details are Orthanc's answer to a request body.
    [TestCase("""{"AET":"A","Host":"h","Port":65535}""", "DicomModalities.m", OrthancError.ParameterOutOfRange, "A TCP port number must be in range [1..65534], but found: 65535")]
    [TestCase("""{"AET":"A","Host":"h","Port":104,"Manufacturer":"Foo"}""", "unknown manufacturer", OrthancError.ParameterOutOfRange, "Unknown modality manufacturer: \"Foo\"")]
    [TestCase("""{"AET":"A","Host":"h","Port":104,"AllowFind":"no"}""", "DicomModalities.m.AllowFind", OrthancError.BadFileFormat, "Boolean value expected in field: AllowFind")]
    [TestCase("""{"AET":"A","Host":"h","Port":104,"Timeout":-1}""", "DicomModalities.m.Timeout", OrthancError.BadFileFormat, "Unsigned integer value expected in field: Timeout")]
    [TestCase("""{"AET":"A","Port":104}""", "DicomModalities.m.Host", OrthancError.BadFileFormat, "String value expected in field: Host")]
    [TestCase("""{"AET":"A","Host":"h"}""", "Port is missing", OrthancError.BadFileFormat, null)]
    public void Modality_BadEntry_MessageAndOrthancDetails(string json, string inMessage, OrthancError error, string? details)
    {
        var ex = Assert.Throws<ConfigurationException>(() => DicomModality.Parse("m", JsonNode.Parse(json)))!;
        Assert.That((ex.Error, ex.Details), Is.EqualTo((error, details)));
        Assert.That(ex.Message, Does.Contain(inMessage));
    }

    [TestCase("""{"Url":""}""", "Empty URL")]
    [TestCase("""{"Url":"ftp://h/"}""", "Bad URL: ftp://h/")]
    [TestCase("""{"Url":3}""", null)]
    [TestCase("""{"Url":"http://h/","HttpHeaders":{"a":1}}""", null)]
    [TestCase("""{"Url":"http://h/","Timeout":-1}""", "Unsigned integer value expected in field: Timeout")]
    public void Peer_BadEntry_OrthancDetails(string json, string? details) =>
        Assert.That(Assert.Throws<ConfigurationException>(() => OrthancPeer.Parse("p", JsonNode.Parse(json)))!.Details, Is.EqualTo(details));

    [Test]
    public void Peer_UrlSpelledUrlOrURL()
    {
        Assert.That(OrthancPeer.Parse("p", JsonNode.Parse("""{"URL":"http://h:1"}""")).BaseUrl, Is.EqualTo("http://h:1/"));
        Assert.That(OrthancPeer.Parse("p", JsonNode.Parse("""{"Url":"http://h:2/","URL":"http://h:1"}""")).BaseUrl, Is.EqualTo("http://h:2/"));
    }

    [TestCase("pacs-1_B", true)]
    [TestCase("a.b", false)]
    [TestCase("a b", false)]
    [TestCase("é", false)]
    public void CheckName_LettersDigitsDashUnderscore(string name, bool accepted)
    {
        if (accepted)
            Assert.DoesNotThrow(() => OrthancConfiguration.CheckName(name));
        else
            Assert.That(Assert.Throws<ConfigurationException>(() => OrthancConfiguration.CheckName(name))!.Details, Does.EndWith(name));
    }

    [Test]
    public void Peers_BothForms()
    {
        var config = ConfigurationLoader.Load(Write("a.json", """
            { "OrthancPeers": {
                "plain": ["http://127.0.0.1:8043/"],
                "secured": ["http://127.0.0.1:8044/", "alice", "secret"],
                "object": { "Url": "http://127.0.0.1:8045/", "Username": "bob", "Password": "pw", "HttpHeaders": { "X-Token": "t" }, "Timeout": 7 } } }
            """));
        var peers = config.OrthancPeers.ToDictionary(p => p.Name);
        Assert.That(peers["plain"].Username, Is.Null);
        Assert.That((peers["secured"].Username, peers["secured"].Password), Is.EqualTo(("alice", "secret")));
        Assert.That(peers["object"].HttpHeaders["x-token"], Is.EqualTo("t"));
        Assert.That(peers["object"].Timeout, Is.EqualTo(7));
    }

    [TestCase("false", OverwriteMode.Never)]
    [TestCase("true", OverwriteMode.Always)]
    [TestCase("\"IfChanged\"", OverwriteMode.IfChanged)]
    [TestCase("\"always\"", OverwriteMode.Always)]
    public void OverwriteInstances_BooleanOf1_10_1AndStringOfLaterVersions(string value, OverwriteMode expected) =>
        Assert.That(ConfigurationLoader.Load(Write("a.json", $"{{ \"OverwriteInstances\": {value} }}")).OverwriteInstances, Is.EqualTo(expected));

    [Test]
    public void AuthenticationEnabled_Unset_FollowsRemoteAccess()
    {
        Assert.That(ConfigurationLoader.Load(Write("a.json", "{ \"RemoteAccessAllowed\": true }")).AuthenticationEnabled, Is.True);
        Assert.That(ConfigurationLoader.Load(Write("b.json", "{ \"RemoteAccessAllowed\": true, \"AuthenticationEnabled\": false }")).AuthenticationEnabled, Is.False);
    }

    [Test]
    public void UnknownKeys_KeptForLua()
    {
        var config = ConfigurationLoader.Load(Write("a.json", "{ \"MyRoutingTable\": { \"CT\": \"archive\" } }"));
        Assert.That(config.Json["MyRoutingTable"]!["CT"]!.GetValue<string>(), Is.EqualTo("archive"));
    }

    [TestCase("0", 60)]
    [TestCase("5", 5)]
    public void StableAge_BelowOneMeansSixty(string value, int expected) =>
        Assert.That(ConfigurationLoader.Load(Write("a.json", $"{{ \"StableAge\": {value} }}")).StableAge, Is.EqualTo(expected));

    [Test]
    public void Dictionary_OrthancForms_DeclaredEntries()
    {
        var entries = ConfigurationLoader.Load(Write("a.json", """
            { "Dictionary": {
                "0014,1020": [ "DA", "MyExpiryDate" ],
                "7053,1003": [ "ST", "Original Image Filename", 1, 1, "Philips PET Private Group" ],
                "0019,10a0": [ "DS", "Weights", 2, 0, "ACME" ] } }
            """)).Dictionary;
        Assert.That(entries.Select(e => (e.Tag.ToString(), e.DictionaryVR, e.Keyword, e.ValueMultiplicity, e.PrivateCreator)), Is.EqualTo(new[]
        {
            ("0014,1020", "DA", "MyExpiryDate", "1", (string?)null),
            ("7053,1003", "ST", "Original Image Filename", "1", "Philips PET Private Group"),
            ("0019,10a0", "DS", "Weights", "2-n", "ACME"),
        }));
    }

    [TestCase("\"0019,1001\": \"DS\"", "Dictionary.0019,1001")]
    [TestCase("\"zzzz,1001\": [\"DS\", \"x\"]", "is not a tag")]
    [TestCase("\"0019,1001\": [\"QQ\", \"x\"]", "is not a value representation")]
    [TestCase("\"0019,1001\": [\"DS\", \"x\", 0]", "multiplicity")]
    [TestCase("\"0019,1001\": [\"DS\", \"x\", 3, 2]", "multiplicity")]
    [TestCase("\"0010,1001\": [\"DS\", \"x\", 1, 1, \"ACME\"]", "private creator")]
    [TestCase("\"0019,1001\": [\"DS\", \"x\", 1, 1, 7]", "Dictionary.0019,1001[4]")]
    public void Dictionary_MalformedEntry_ErrorNamesIt(string entry, string expected)
    {
        var config = ConfigurationLoader.Load(Write("a.json", $"{{ \"Dictionary\": {{ {entry} }} }}"));
        Assert.That(Assert.Throws<ConfigurationException>(() => _ = config.Dictionary)!.Message, Does.Contain(expected));
    }
}
