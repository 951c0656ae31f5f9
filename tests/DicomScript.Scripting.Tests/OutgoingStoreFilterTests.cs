using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Scripting.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Scripting.Tests;

/// <summary>
/// OutgoingCStoreInstanceFilter before every C-STORE we send, observed at the receiving end: a
/// store job into storescp, Lua routing, a C-MOVE (movescu, destination storescp) and a C-GET
/// (getscu). The filter keeps MR images from leaving; CT images go.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class OutgoingStoreFilterTests
{
    private const string NoMr = """
        seen = {}
        function OutgoingCStoreInstanceFilter(dicom, destination)
          table.insert(seen, dicom.Modality .. ' to ' .. destination.RemoteAet .. ' at ' .. destination.RemoteIp)
          return dicom.Modality ~= 'MR'
        end
        """;

    private StoreScpSink _sink = null!;
    private ScriptedArchive _server = null!;
    private (string Ct, string Mr) _ids;

    [SetUp]
    public async Task Start()
    {
        PydicomCorpus.Require();
        _sink = new StoreScpSink();
        _server = await ScriptedArchive.StartAsync(new JsonObject
        {
            ["DicomServerEnabled"] = true,
            ["DicomPort"] = 0,
            ["DicomAlwaysAllowMove"] = true,
            ["DicomAlwaysAllowGet"] = true,
            ["DicomModalities"] = new JsonObject { ["sink"] = new JsonArray("SINK", "127.0.0.1", _sink.Port) },
        }, ("filter.lua", NoMr));
        _ids = (await _server.UploadAsync(SampleInstances.Original("CT_small.dcm")), await _server.UploadAsync(SampleInstances.Original("MR_small.dcm")));
    }

    [TearDown]
    public async Task Stop()
    {
        await _server.DisposeAsync();
        _sink.Dispose();
    }

    private static List<string> Modalities(DirectoryInfo folder) =>
        [.. folder.GetFiles().Select(f => DicomFile.Open(f.FullName).Dataset.GetString(DicomTags.Modality) ?? "")];

    [Test]
    public async Task StoreJob_SkipsWhatTheFilterRefuses_AndSucceeds()
    {
        using var response = await _server.Http.PostAsync("modalities/sink/store",
            new StringContent($$"""{"Resources": ["{{_ids.Ct}}", "{{_ids.Mr}}"], "Synchronous": true}""", Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(Modalities(_sink.Folder), Is.EqualTo(new[] { "CT" }));
        Assert.That(await _server.OutputAsync("print(table.concat(seen, '; '))"), Is.EqualTo("CT to SINK at 127.0.0.1; MR to SINK at 127.0.0.1\n"));
    }

    [Test]
    public async Task Routing_SendToModality_SkipsWhatTheFilterRefuses()
    {
        // Only the copies made here: events of the instances stored by SetUp may still be on their way.
        await _server.OutputAsync("""
            function OnStoredInstance(id, tags)
              if tags.SOPInstanceUID:find('1.2.826.0.1.3680043.10.1138.', 1, true) == 1 then Delete(SendToModality(id, 'sink')) end
            end
            """);
        await _server.UploadAsync(SampleInstances.Copy(1)); // a CT: goes
        await _server.UploadAsync(SampleInstances.Copy(2, "test_files/MR_small.dcm")); // an MR: skipped, so deleted without being sent

        for (var i = 0; i < 100 && await _server.InstanceCountAsync() > 2; i++)
            await Task.Delay(100);
        Assert.That(await _server.InstanceCountAsync(), Is.EqualTo(2), "both routed instances deleted: a skip is no failure");
        Assert.That(Modalities(_sink.Folder), Is.EqualTo(new[] { "CT" }));
    }

    [Test]
    public void CMove_AndCGet_SkipWhatTheFilterRefuses_CountedAsCompleted()
    {
        var movescu = ExternalTools.Require("movescu", "dcmtk");
        var getscu = ExternalTools.Require("getscu", "dcmtk");
        var port = _server.Archive.DicomPort.ToString(CultureInfo.InvariantCulture);
        string[] keys = ["-k", "QueryRetrieveLevel=PATIENT", "-k", "PatientID=" + string.Join('\\', PatientIds())];

        var move = ExternalTools.Run(movescu, ["-v", "-P", "-aet", "MOVESCU", "-aec", "ORTHANC", "-aem", "SINK", "127.0.0.1", port, .. keys]);
        Assert.That(Modalities(_sink.Folder), Is.EqualTo(new[] { "CT" }));
        Assert.That(move.Output + move.Error, Does.Contain("Received Final Move Response (Success)"));

        var folder = Directory.CreateTempSubdirectory("getscu-");
        try
        {
            var get = ExternalTools.Run(getscu, ["-v", "-P", "-aet", "GETSCU", "-aec", "ORTHANC", "-od", folder.FullName, "127.0.0.1", port, .. keys]);
            Assert.That(Modalities(folder), Is.EqualTo(new[] { "CT" }));
            Assert.That(get.Output + get.Error, Does.Contain("Received C-GET Response (Success)").And.Contain("Number of Completed Suboperations : 2"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Test]
    public async Task AFailingFilter_FailsTheStoreJob_AndSendsNothing()
    {
        await _server.OutputAsync("function OutgoingCStoreInstanceFilter(dicom, destination) return 'yes' end");

        using var response = await _server.Http.PostAsync("modalities/sink/store",
            new StringContent($$"""{"Resources": ["{{_ids.Ct}}"], "Synchronous": true}""", Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.Not.EqualTo(HttpStatusCode.OK));
        Assert.That(_sink.Folder.GetFiles(), Is.Empty);
    }

    private static IEnumerable<string> PatientIds() =>
        new[] { "CT_small.dcm", "MR_small.dcm" }.Select(f => DicomFile.Parse(SampleInstances.Original(f)).Dataset.GetString(DicomTags.PatientID)!);
}
