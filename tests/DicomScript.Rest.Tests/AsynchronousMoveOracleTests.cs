using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Rest.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Rest.Tests;

/// <summary>
/// <c>SynchronousCMove: false</c> against the real Orthanc 1.10.1: movescu asks each archive to
/// send a study to a dcmtk storescp. Both answer at once that every sub-operation completed and
/// queue a DicomModalityStore job ("C-MOVE") that sends the instances; the jobs read the same and
/// the instances arrive.
/// </summary>
[TestFixture]
[NonParallelizable]
public partial class AsynchronousMoveOracleTests
{
    private const string Study = "test_files/dicomdirtests/77654033/CT2/";

    [Test]
    public async Task IncomingCMove_AnsweredAtOnceAndSentByAJob_AsOrthanc()
    {
        var movescu = ExternalTools.Require("movescu", "dcmtk");
        PydicomCorpus.Require();
        var received = Directory.CreateTempSubdirectory("async-move-");
        try
        {
            var sinkPort = ExternalTools.FreeLoopbackPort();
            using var sink = PeerProcess.Start("storescp", "dcmtk", ["-aet", "SINK", "-od", received.FullName, sinkPort.ToString(CultureInfo.InvariantCulture)], sinkPort);
            JsonObject Settings(int port) => new()
            {
                ["DicomServerEnabled"] = true,
                ["DicomPort"] = port,
                ["SynchronousCMove"] = false,
                ["DicomAlwaysAllowMove"] = true,
                ["DicomModalities"] = new JsonObject { ["sink"] = new JsonArray("SINK", "127.0.0.1", sinkPort) },
            };
            var theirPort = ExternalTools.FreeLoopbackPort();
            using var orthanc = OrthancServer.Start(Settings(theirPort));
            await using var ours = await RestArchive.StartAsync(Settings(0));
            var files = Directory.GetFiles(PydicomCorpus.FullPath(Study)).Order(StringComparer.Ordinal).ToList();
            var studyUid = DicomFile.Open(files[0]).Dataset.GetString(DicomTags.StudyInstanceUID);
            var answers = new List<string>();
            var jobs = new List<JsonNode>();
            foreach (var (client, port) in new[] { (ours.Http, ours.Archive.DicomPort), (orthanc.Http, theirPort) })
            {
                foreach (var file in files)
                {
                    using var response = await client.PostAsync("instances", new ByteArrayContent(await File.ReadAllBytesAsync(file)));
                    Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                }

                var (_, output, error) = ExternalTools.Run(movescu,
                    ["-v", "-S", "-aet", "MOVESCU", "-aec", "ORTHANC", "-aem", "SINK", "127.0.0.1", port.ToString(CultureInfo.InvariantCulture),
                        "-k", "QueryRetrieveLevel=STUDY", "-k", $"StudyInstanceUID={studyUid}"], TimeSpan.FromMinutes(1));
                var final = FinalMoveResponse().Match(output + error);
                Assert.That(final.Success, Is.True, output + error);
                answers.Add(final.Value);
                var id = CorpusPair.Ids(await CorpusPair.GetJsonAsync(client, "jobs")).Single();
                jobs.Add(await JobPolling.FinishedJobAsync(client, id));
                Assert.That(received.GetFiles(), Has.Length.EqualTo(files.Count), "the job sent the study");
                foreach (var arrived in received.GetFiles())
                    arrived.Delete();
            }

            Assert.That(answers[0], Is.EqualTo(answers[1]).And.Contain("Success"));
            Assert.That(JsonDiff.Differences(jobs[0], jobs[1], path => JobPolling.Volatile.Contains(path)), Is.Empty);
            Assert.That(jobs[0]["Type"]!.GetValue<string>(), Is.EqualTo("DicomModalityStore"));
            Assert.That(jobs[0]["State"]!.GetValue<string>(), Is.EqualTo("Success"));
            Assert.That(jobs[0]["Content"]!["Description"]!.GetValue<string>(), Is.EqualTo("C-MOVE"));
        }
        finally
        {
            received.Delete(recursive: true);
        }
    }

    [GeneratedRegex(@"Received Final Move Response \([^)]*\)")]
    private static partial Regex FinalMoveResponse();
}
