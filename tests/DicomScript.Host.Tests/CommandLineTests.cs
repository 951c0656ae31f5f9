using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using NUnit.Framework;

namespace DicomScript.Host.Tests;

[TestFixture]
public class CommandLineTests
{
    private string _file = "";

    [SetUp]
    public void WriteSampleFile()
    {
        _file = Path.Combine(Path.GetTempPath(), $"cli-{Guid.NewGuid():N}.dcm");
        var dataset = new DicomDataset()
            .AddString(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192")
            .AddString(DicomTags.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.7")
            .AddString(DicomTags.SOPInstanceUID, DicomVR.UI, "1.2.3.4.5")
            .AddString(DicomTags.PatientName, DicomVR.PN, "Müller^Jürgen")
            .AddString(DicomTags.PatientID, DicomVR.LO, "P1")
            .AddUInt16(DicomTags.Rows, 2)
            .AddBytes(DicomTags.PixelData, DicomVR.OW, new byte[8]);
        DicomWriter.WriteFile(_file, new DicomFile(new DicomDataset(), dataset, DicomTransferSyntax.ExplicitVRLittleEndian));
    }

    [TearDown]
    public void DeleteSampleFile() => File.Delete(_file);

    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = CommandLine.RunAsync(args, output, error).Result;
        return (exit, output.ToString(), error.ToString());
    }

    [Test]
    public void Dump_File_ListsElementsWithNames()
    {
        var (exit, output, _) = Run("dump", _file);
        Assert.That(exit, Is.Zero);
        Assert.That(output, Does.Contain("(0010,0010) PN [Müller^Jürgen]"));
        Assert.That(output, Does.Contain("# Used TransferSyntax: LittleEndianExplicitTransferSyntax"));
        Assert.That(output, Does.Match(@"\(0028,0010\) US 2 +#   2, 1 Rows"));
    }

    [TestCase(new string[0], "0010,0010", "Name")]
    [TestCase(new[] { "--simplify" }, "PatientName", null)]
    [TestCase(new[] { "--short" }, "0010,0010", null)]
    [TestCase(new[] { "--dicomweb" }, "00100010", "vr")]
    public void Json_Formats_ValidJsonWithExpectedKeys(string[] options, string key, string? inner)
    {
        var (exit, output, _) = Run(["json", _file, .. options]);
        Assert.That(exit, Is.Zero);
        var json = JsonNode.Parse(output)!;
        Assert.That(json[key], Is.Not.Null);
        if (inner is not null)
            Assert.That(json[key]![inner], Is.Not.Null);
    }

    [Test]
    public void Json_Simplify_NamesAndNullForBinary()
    {
        var json = JsonNode.Parse(Run("json", _file, "--simplify").Output)!;
        Assert.That(json["PatientName"]!.GetValue<string>(), Is.EqualTo("Müller^Jürgen"));
        Assert.That(json["PixelData"], Is.Null);
        Assert.That(json.AsObject().ContainsKey("PixelData"), Is.True);
    }

    [Test]
    public void Dump_NotDicom_ClearErrorAndStatus2()
    {
        File.WriteAllText(_file, "this is not a DICOM file at all, just text");
        var (exit, _, error) = Run("dump", _file);
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("not readable DICOM"));
    }

    [Test]
    public void Dump_MissingFile_ClearErrorAndStatus2()
    {
        var (exit, _, error) = Run("dump", "/nonexistent/file.dcm");
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("/nonexistent/file.dcm"));
    }

    [Test]
    public void Json_UnknownOption_Usage()
    {
        var (exit, _, error) = Run("json", _file, "--bogus");
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("usage"));
    }

    [Test]
    public void Serve_MissingConfigurationFile_ClearErrorAndStatus2()
    {
        var (exit, _, error) = Run("/nonexistent/orthanc.json");
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("configuration error").And.Contain("/nonexistent/orthanc.json"));
    }

    [Test]
    public void Serve_VerboseOrTraceBeforeTheConfiguration_IsAnOption_AnythingElseIsUsage()
    {
        Assert.That(Run("--verbose", "/nonexistent/orthanc.json").Error, Does.Contain("configuration error"));
        Assert.That(Run("--trace", "/nonexistent/orthanc.json").Error, Does.Contain("configuration error"));
        Assert.That(Run("--verbose", "--trace"), Is.EqualTo((2, "", Run("--bogus").Error)));
        Assert.That(Run("--bogus").Error, Does.Contain("usage").And.Contain("--verbose"));
    }

    // Each deletion is logged only with --verbose, as Orthanc does: a routing script deletes every
    // instance it forwards. The line is written before the deletion's HTTP answer, and all of the
    // output is read once the killed process has exited.
    [TestCase(false)]
    [TestCase(true)]
    public async Task Serve_Verbose_LogsEachDeletion(bool verbose)
    {
        var folder = Directory.CreateTempSubdirectory("host-verbose-");
        var httpPort = FreePort();
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "orthanc.json"),
                $$"""{ "HttpPort": {{httpPort}}, "DicomPort": {{FreePort()}}, "StorageDirectory": "storage" }""");
            var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "dicomscript.dll"));
            if (verbose)
                start.ArgumentList.Add("--verbose");
            start.ArgumentList.Add(Path.Combine(folder.FullName, "orthanc.json"));
            using var process = Process.Start(start)!;
            var log = new ConcurrentQueue<string>();
            process.OutputDataReceived += (_, line) => log.Enqueue(line.Data ?? "");
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            string? id = null;
            try
            {
                using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/") };
                var deadline = DateTime.UtcNow.AddSeconds(20);
                while (id is null && DateTime.UtcNow < deadline && !process.HasExited)
                {
                    try
                    {
                        using var upload = await http.PostAsync("instances", new ByteArrayContent(StorableInstance()));
                        id = JsonNode.Parse(await upload.Content.ReadAsStringAsync())!["ID"]!.GetValue<string>();
                    }
                    catch (HttpRequestException)
                    {
                        await Task.Delay(100); // not listening yet
                    }
                }

                Assert.That(id, Is.Not.Null, "the server did not start");
                using var delete = await http.DeleteAsync($"instances/{id}");
                Assert.That(delete.IsSuccessStatusCode, Is.True);
            }
            finally
            {
                process.Kill();
                await process.WaitForExitAsync();
            }

            Assert.That(log.Any(line => line.Contains($"Deleted {id}", StringComparison.Ordinal)), Is.EqualTo(verbose), string.Join("\n", log));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static byte[] StorableInstance()
    {
        var dataset = new DicomDataset()
            .AddString(DicomTags.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.7")
            .AddString(DicomTags.SOPInstanceUID, DicomVR.UI, "1.2.3.4.5.3")
            .AddString(DicomTags.PatientID, DicomVR.LO, "P1")
            .AddString(DicomTags.StudyInstanceUID, DicomVR.UI, "1.2.3.4.5.1")
            .AddString(DicomTags.SeriesInstanceUID, DicomVR.UI, "1.2.3.4.5.2");
        return DicomWriter.ToBytes(new DicomFile(new DicomDataset(), dataset, DicomTransferSyntax.ExplicitVRLittleEndian));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Test]
    public void Serve_ALuaScriptThatFails_StopsTheStartNamingFileAndLine()
    {
        var folder = Directory.CreateTempSubdirectory("host-lua-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "routing.lua"), "function OnStoredInstance() end\n\nerror('not ready')\n");
            File.WriteAllText(Path.Combine(folder.FullName, "orthanc.json"),
                """{ "HttpPort": 0, "DicomPort": 0, "StorageDirectory": "storage", "LuaScripts": ["routing.lua"] }""");

            var (exit, _, error) = Run(Path.Combine(folder.FullName, "orthanc.json"));

            Assert.That(exit, Is.EqualTo(2));
            Assert.That(error, Does.Contain(Path.Combine(folder.FullName, "routing.lua")).And.Contain("routing.lua:3: not ready"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
