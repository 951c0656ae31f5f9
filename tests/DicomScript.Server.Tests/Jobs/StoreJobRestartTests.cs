using System.Globalization;
using System.Net;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Server.Configuration;
using DicomScript.Server.Ingest;
using DicomScript.Server.Jobs;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace DicomScript.Server.Tests.Jobs;

/// <summary>
/// A DicomModalityStore job across a restart of the archive: it failed against a modality that was
/// down, the archive restarts (the job is read back from the index), the modality comes up, and the
/// resubmitted job delivers every instance into dcmtk's storescp.
/// </summary>
[TestFixture]
[NonParallelizable]
public class StoreJobRestartTests
{
    private static readonly string[] Files = ["test_files/CT_small.dcm", "test_files/MR_small.dcm", "test_files/dicomdirtests/77654033/CT2/17106"];

    private DirectoryInfo _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("store-job-");

    [TearDown]
    public void DeleteFolder() => _folder.Delete(recursive: true);

    private DicomScriptServer Start(int modalityPort)
    {
        var config = Path.Combine(_folder.FullName, "orthanc.json");
        File.WriteAllText(config, $$"""
            { "DicomAet": "ARCHIVE", "DicomServerEnabled": false, "StorageDirectory": "storage",
              "DicomModalities": { "sink": ["SINK", "127.0.0.1", {{modalityPort}}] } }
            """);
        var server = DicomScriptServer.Create(ConfigurationLoader.Load(config), NullLoggerFactory.Instance, bindAddress: IPAddress.Loopback);
        server.Start();
        return server;
    }

    [Test]
    public async Task FailedStoreJob_AfterRestart_ResubmittedDeliversEveryInstance()
    {
        ExternalTools.Require("storescp", "dcmtk");
        PydicomCorpus.Require();
        var port = ExternalTools.FreeLoopbackPort();
        string jobId;
        var sopInstanceUids = new List<string>();
        await using (var first = Start(port))
        {
            var instances = new List<string>();
            foreach (var file in Files)
            {
                var bytes = await File.ReadAllBytesAsync(PydicomCorpus.FullPath(file));
                var result = await first.Ingest.IngestAsync(bytes, InstanceOrigin.Lua, CancellationToken.None);
                instances.Add(result.InstanceId);
                sopInstanceUids.Add(first.ReadDataset(result.InstanceId)!.GetString(Dicom.Dictionary.DicomTags.SOPInstanceUID)!);
            }

            var target = new StoreJobTarget(first.Configuration.DicomModalities[0], "CALLER") { Timeout = 5 };
            var outcome = await first.Jobs.SubmitAndWaitAsync(new DicomModalityStoreJob(first, target, instances, instances, permissive: false, "test"))
                .WaitAsync(TimeSpan.FromSeconds(30));
            Assert.That((outcome.Succeeded, outcome.Error), Is.EqualTo((false, OrthancError.NetworkProtocol)), "nobody listens yet");
            jobId = outcome.Id;
        }

        var received = Directory.CreateDirectory(Path.Combine(_folder.FullName, "received"));
        using var storescp = PeerProcess.Start("storescp", "dcmtk", ["-aet", "SINK", "-od", received.FullName, port.ToString(CultureInfo.InvariantCulture)], port);
        await using var second = Start(port);
        var reloaded = second.Jobs.Describe(jobId)!;
        Assert.That((reloaded.State, reloaded.Type, reloaded.Content["LocalAet"]!.GetValue<string>(), reloaded.Content["InstancesCount"]!.GetValue<int>()),
            Is.EqualTo((JobState.Failure, DicomModalityStoreJob.JobType, "CALLER", Files.Length)));
        Assert.That(second.Jobs.Resubmit(jobId), Is.True);
        for (var i = 0; i < 300 && second.Jobs.Describe(jobId)!.State != JobState.Success; i++)
            await Task.Delay(100);
        Assert.That(second.Jobs.Describe(jobId)!.State, Is.EqualTo(JobState.Success), second.Jobs.Describe(jobId)!.ErrorDetails);
        var names = received.GetFiles().Select(f => f.Name).ToList();
        Assert.That(sopInstanceUids.Select(uid => names.Count(n => n.EndsWith(uid, StringComparison.Ordinal))), Is.All.EqualTo(1), string.Join(", ", names));
    }
}
