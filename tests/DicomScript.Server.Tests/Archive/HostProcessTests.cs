using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Storage.Identifiers;
using DicomScript.Storage.Index;
using NUnit.Framework;

namespace DicomScript.Server.Tests.Archive;

/// <summary>The dicomscript executable as an administrator runs it.</summary>
[TestFixture]
[NonParallelizable]
public class HostProcessTests
{
    private DirectoryInfo _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("host-");

    [TearDown]
    public void DeleteFolder() => _folder.Delete(recursive: true);

    private static string HostDll => Path.Combine(AppContext.BaseDirectory, "dicomscript.dll");

    private static int FreePort() => ExternalTools.FreeLoopbackPort();

    private string Config(int port, int? httpPort = null) =>
        WriteFile("orthanc.json", $$"""{ "DicomAet": "ARCHIVE", "DicomPort": {{port}}, "HttpPort": {{httpPort ?? FreePort()}}, "StorageDirectory": "storage" }""");

    private string WriteFile(string name, string text)
    {
        var path = Path.Combine(_folder.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static Process StartHost(string config)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(HostDll);
        start.ArgumentList.Add(config);
        return Process.Start(start)!;
    }

    private static void WaitListening(int port) =>
        Assert.That(ExternalTools.WaitUntilListening(port, TimeSpan.FromSeconds(20)), Is.True, $"nothing listens on {port}");

    private static void Signal(Process process, string signal) => ExternalTools.Run("kill", [$"-{signal}", process.Id.ToString(CultureInfo.InvariantCulture)]);

    [Test]
    public async Task Serve_EchoAndRestThenSigterm_CleanExit()
    {
        var echoscu = ExternalTools.Require("echoscu", "dcmtk");
        var (port, httpPort) = (FreePort(), FreePort());
        using var host = StartHost(Config(port, httpPort));
        WaitListening(port);
        WaitListening(httpPort);
        Assert.That(ExternalTools.Run(echoscu, ["-aec", "ARCHIVE", "127.0.0.1", port.ToString(CultureInfo.InvariantCulture)]).ExitCode, Is.Zero);
        using (var http = new HttpClient())
        {
            var system = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{httpPort}/system"))!;
            Assert.That(system["DicomAet"]!.GetValue<string>(), Is.EqualTo("ARCHIVE"));
        }

        Signal(host, "TERM");
        Assert.That(host.WaitForExit(15_000), Is.True, "did not stop on SIGTERM");
        Assert.That(host.ExitCode, Is.Zero);
        Assert.That(host.StandardOutput.ReadToEnd(), Does.Contain("Stopped"));
    }

    // A SIGTERM that comes while the services start (the DICOM port is open, REST is not yet)
    // stops the server cleanly once they have started: it is neither lost nor fatal.
    [Test]
    public void Serve_SigtermDuringStart_CleanExit()
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var port = FreePort();
            using var host = StartHost(Config(port));
            try
            {
                WaitListening(port);
                Signal(host, "TERM");
                Assert.That(host.WaitForExit(15_000), Is.True, $"attempt {attempt}: did not stop on SIGTERM");
                Assert.That(host.ExitCode, Is.Zero, $"attempt {attempt}: not a clean stop");
            }
            finally
            {
                if (!host.HasExited)
                    host.Kill();
            }
        }
    }

    [Test]
    public void Serve_ConfigurationSyntaxError_StopsNamingFileAndLine()
    {
        var config = WriteFile("broken.json", "{\n  \"DicomAet\": \"X\"\n  \"DicomPort\": 4242\n}\n");
        using var host = StartHost(config);
        Assert.That(host.WaitForExit(15_000), Is.True);
        Assert.That(host.ExitCode, Is.EqualTo(2));
        Assert.That(host.StandardError.ReadToEnd(), Does.Contain($"{config}:3:"));
    }

    /// <summary>
    /// kill -9 while four storescu processes send 1,000 instances; after a restart every instance
    /// storescu saw acknowledged is there and reads back equal, no index row lacks its file, and no
    /// file is left without an index row.
    /// </summary>
    [Test]
    public void Kill9DuringIngest_EveryAcknowledgedInstanceSurvives()
    {
        PydicomCorpus.Require();
        ExternalTools.Require("storescu", "dcmtk");
        var sources = Directory.CreateDirectory(Path.Combine(_folder.FullName, "sources"));
        var template = DicomFile.Open(PydicomCorpus.FullPath("test_files/MR_small.dcm"));
        var originals = new Dictionary<string, string>();
        for (var i = 0; i < 1000; i++)
        {
            var uid = $"2.25.{9000000 + i}";
            template.Dataset.AddString(Dicom.Dictionary.DicomTags.SOPInstanceUID, Dicom.Data.DicomVR.UI, uid);
            template.Meta.AddString(Dicom.Dictionary.DicomTags.MediaStorageSOPInstanceUID, Dicom.Data.DicomVR.UI, uid);
            var path = Path.Combine(sources.FullName, $"{i:D4}.dcm");
            DicomWriter.WriteFile(path, template);
            originals[path] = uid;
        }

        var port = FreePort();
        var config = Config(port);
        var host = StartHost(config);
        WaitListening(port);
        var shares = Enumerable.Range(0, 4).Select(s => originals.Keys.Where((_, i) => i % 4 == s).ToList()).ToList();
        var senders = shares.Select(share =>
        {
            var start = new ProcessStartInfo("storescu") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "-v", "-aet", "MODALITY", "-aec", "ARCHIVE", "127.0.0.1", port.ToString(CultureInfo.InvariantCulture) }.Concat(share))
                start.ArgumentList.Add(argument);
            start.Environment["TCP_NODELAY"] = "1";
            var process = Process.Start(start)!;
            var log = process.StandardError.ReadToEndAsync();
            return (process, log);
        }).ToList();

        // Let some of the instances through (the server has written files), then kill it in mid-flight.
        var storage = new DicomScript.Storage.Files.StorageArea(Path.Combine(_folder.FullName, "storage"), compress: false);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (storage.AllUuids().Count() < 50 && DateTime.UtcNow < deadline)
            Thread.Sleep(10);
        host.Kill();
        host.WaitForExit();
        host.Dispose();
        foreach (var (process, _) in senders)
            process.WaitForExit(30_000);

        // What storescu saw acknowledged: a "Sending file" line followed by a successful response.
        var acknowledged = new List<string>();
        foreach (var (_, log) in senders)
        {
            string? current = null;
            foreach (var line in log.Result.Split('\n'))
            {
                if (line.StartsWith("I: Sending file: ", StringComparison.Ordinal))
                    current = line["I: Sending file: ".Length..].Trim();
                else if (line.StartsWith("I: Received Store Response (Success)", StringComparison.Ordinal) && current is not null)
                    acknowledged.Add(current);
            }
        }

        Assert.That(acknowledged, Is.Not.Empty, "the kill came before any store");
        Assert.That(acknowledged.Count, Is.LessThan(1000), "the kill came after every store: nothing was tested");

        using (var restarted = StartHost(config))
        {
            try
            {
                WaitListening(port);
                Signal(restarted, "TERM");
                Assert.That(restarted.WaitForExit(15_000), Is.True);
            }
            finally
            {
                if (!restarted.HasExited)
                    restarted.Kill();
            }
        }

        using var index = SqliteIndex.Open(Path.Combine(_folder.FullName, "storage"));
        foreach (var path in acknowledged)
        {
            var expected = DicomFile.Open(path).Dataset;
            expected.Remove(Dicom.Dictionary.DicomTags.DataSetTrailingPadding); // storescu does not send it
            var id = OrthancIdentifiers.FromDataset(expected).InstanceHash;
            var file = index.GetDicomFile(id);
            Assert.That(file, Is.Not.Null, $"acknowledged {originals[path]} is missing");
            Assert.That(DatasetComparer.Differences(expected, DicomFile.Parse(storage.Read(file!.Uuid)).Dataset, compareVRs: true), Is.Empty);
        }

        var instances = index.List(ResourceLevel.Instance);
        Assert.That(instances.All(id => File.Exists(storage.PathOf(index.GetDicomFile(id)!.Uuid))), Is.True, "an index row without its file");
        Assert.That(storage.AllUuids().All(index.HasAttachment), Is.True, "a file without an index row after start-up");
        TestContext.Out.WriteLine($"{acknowledged.Count} acknowledged before kill -9, {instances.Count} indexed after restart");
    }
}
