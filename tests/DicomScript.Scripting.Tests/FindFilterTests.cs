using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Scripting.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Scripting.Tests;

/// <summary>
/// IncomingFindRequestFilter (observed with findscu) and OutgoingFindRequestFilter (through
/// <c>/modalities/{name}/query</c> to dcmtk's dcmqrscp), each with the same script in the real
/// Orthanc 1.10.1 and in ours: same arguments seen by the script, same answers.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class FindFilterTests
{
    private static readonly string[] Files = ["test_files/CT_small.dcm", "test_files/MR_small.dcm"];

    // Records its arguments, then rewrites the query: a key dropped, one added, a constraint set.
    private const string IncomingFilter = """
        function IncomingFindRequestFilter(query, origin)
          seenQuery = DumpJson(query)
          seenOrigin = DumpJson(origin)
          query['0010,0020'] = nil
          query['StudyDescription'] = ''
          query['0010,0010'] = '*CT1'
          return query
        end
        """;

    // Drops the constraint that would match nothing, asks one key more.
    private const string OutgoingFilter = """
        function OutgoingFindRequestFilter(query, aet)
          seenQuery = DumpJson(query)
          seenAet = aet
          query['0010,0010'] = nil
          query['StudyDescription'] = ''
          return query
        end
        """;

    [Test]
    public async Task IncomingFindRequestFilter_RewritesTheQueryAndTheKeysAnswered_AsOrthanc()
    {
        var findscu = ExternalTools.Require("findscu", "dcmtk");
        var settings = new JsonObject
        {
            ["DicomAlwaysAllowFind"] = true,
            ["DicomModalities"] = new JsonObject { ["viewer"] = new JsonArray("FINDSCU", "127.0.0.1", 104, "GE") },
        };
        var folder = Directory.CreateTempSubdirectory("find-filter-");
        try
        {
            using var orthanc = StartOrthanc(folder, settings, IncomingFilter, out var orthancDicomPort);
            settings["DicomServerEnabled"] = true;
            settings["DicomPort"] = 0;
            await using var ours = await ScriptedArchive.StartAsync(settings, ("incoming.lua", IncomingFilter));
            await UploadToBothAsync(orthanc, ours);

            string[] query = ["-S", "QueryRetrieveLevel=STUDY", "PatientID=", "PatientName", "StudyInstanceUID"];
            var expected = FindScu.Query(findscu, orthancDicomPort, query).Select(FindScu.Describe).ToList();
            var answers = FindScu.Query(findscu, ours.Archive.DicomPort, query).Select(FindScu.Describe).ToList();

            Assert.That(expected, Has.Count.EqualTo(1), "only CT_small's patient name ends with CT1");
            Assert.That(answers, Is.EquivalentTo(expected));
            Assert.That(answers[0], Does.Contain("0008,1030 LO").And.Not.Contain("0010,0020"), "the keys answered are the filtered query's");
            const string seen = "print(seenQuery) print(seenOrigin)";
            var theirs = await ScriptedArchive.ExecuteAsync(orthanc.Http, seen);
            Assert.That(theirs.Body, Does.Contain("\"Manufacturer\":\"Generic\""), "Orthanc 1.10.1 never looks the caller up");
            var expectedSeen = theirs.Body.Replace("\"Manufacturer\":\"Generic\"", "\"Manufacturer\":\"GE\"", StringComparison.Ordinal);
            Assert.That(await ours.OutputAsync(seen), Is.EqualTo(expectedSeen), "the same, with the caller's manufacturer (README)");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [TestCase("return {PatientName = true}")]
    [TestCase("return 'STUDY'")]
    [TestCase("return {}")] // an empty query: no QueryRetrieveLevel left
    [TestCase("return {NotATag = 'x', ['0008,0052'] = 'STUDY'}")]
    [TestCase("error('refused')")]
    public async Task IncomingFindRequestFilter_WithoutAUsableQuery_UnableToProcess_AndWithoutTheFilterAnswersAgain(string body)
    {
        var findscu = ExternalTools.Require("findscu", "dcmtk");
        PydicomCorpus.Require();
        await using var ours = await ScriptedArchive.StartAsync(new JsonObject { ["DicomServerEnabled"] = true, ["DicomPort"] = 0, ["DicomAlwaysAllowFind"] = true });
        await ours.UploadAsync(await File.ReadAllBytesAsync(PydicomCorpus.FullPath(Files[0])));
        string[] keys = ["QueryRetrieveLevel=STUDY", "StudyInstanceUID"];

        await ours.OutputAsync($"function IncomingFindRequestFilter(query, origin) {body} end");
        Assert.That(FindScu.Log(findscu, ours.Archive.DicomPort, keys), Does.Contain("Received Final Find Response (Failed: UnableToProcess)"));

        await ours.OutputAsync("IncomingFindRequestFilter = nil");
        Assert.That(FindScu.Log(findscu, ours.Archive.DicomPort, keys), Does.Contain("Find Response: 1 (Pending)").And.Contain("Received Final Find Response (Success)"));
    }

    [Test]
    public async Task OutgoingFindRequestFilter_RewritesTheQuerySent_AsOrthanc()
    {
        var folder = Directory.CreateTempSubdirectory("find-filter-");
        try
        {
            using var dcmqrscp = await QueryRetrieveScp.StartAsync(folder, Files, []);
            var settings = new JsonObject { ["DicomModalities"] = new JsonObject { ["qr"] = new JsonArray("QRSCP", "127.0.0.1", dcmqrscp.Port) } };
            using var orthanc = StartOrthanc(folder, settings, OutgoingFilter, out _);
            await using var ours = await ScriptedArchive.StartAsync(settings, ("outgoing.lua", OutgoingFilter));
            const string request = """{"Level": "Study", "Query": {"PatientName": "NOBODY*", "PatientID": ""}}""";

            var expected = await AnswersAsync(orthanc.Http, request);
            var answers = await AnswersAsync(ours.Http, request);

            Assert.That(expected.AsArray(), Has.Count.EqualTo(Files.Length), "the filter dropped the constraint that matched nothing");
            Assert.That(JsonNode.DeepEquals(answers, expected), Is.True, $"ours: {answers}\nOrthanc: {expected}");
            Assert.That(answers.ToJsonString(), Does.Contain("StudyDescription"), "the key the filter added is asked");
            const string seen = "print(seenQuery, seenAet)";
            var theirs = await ScriptedArchive.ExecuteAsync(orthanc.Http, seen);
            Assert.That(await ours.OutputAsync(seen), Is.EqualTo(theirs.Body).And.EndWith(", QRSCP\n"), "the AET, not the modality's name");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Test]
    public async Task OutgoingFindRequestFilter_WithoutATable_FailsTheQueryWithLuaBadOutput_AsOrthanc()
    {
        var folder = Directory.CreateTempSubdirectory("find-filter-");
        try
        {
            const string script = "function OutgoingFindRequestFilter(query, aet) return 42 end";
            var settings = new JsonObject { ["DicomModalities"] = new JsonObject { ["qr"] = new JsonArray("QRSCP", "127.0.0.1", ExternalTools.FreeLoopbackPort()) } };
            using var orthanc = StartOrthanc(folder, settings, script, out _);
            await using var ours = await ScriptedArchive.StartAsync(settings, ("outgoing.lua", script));
            const string request = """{"Level": "Study", "Query": {}}""";

            var (theirStatus, theirBody) = await PostQueryAsync(orthanc.Http, request);
            var (status, body) = await PostQueryAsync(ours.Http, request);

            Assert.That(theirStatus, Is.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That((status, body["OrthancStatus"]?.GetValue<int>()), Is.EqualTo((theirStatus, theirBody["OrthancStatus"]?.GetValue<int>())));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    // The real Orthanc with the script and ExecuteLuaEnabled (to read what the script saw), its DICOM server on.
    private static OrthancServer StartOrthanc(DirectoryInfo folder, JsonObject settings, string script, out int dicomPort)
    {
        PydicomCorpus.Require();
        var path = Path.Combine(folder.FullName, "orthanc-script.lua");
        File.WriteAllText(path, script);
        dicomPort = ExternalTools.FreeLoopbackPort();
        var configuration = (JsonObject)settings.DeepClone();
        configuration["DicomServerEnabled"] = true;
        configuration["DicomPort"] = dicomPort;
        configuration["DicomAet"] = "ORTHANC";
        configuration["ExecuteLuaEnabled"] = true;
        configuration["LuaScripts"] = new JsonArray(path);
        return OrthancServer.Start(configuration);
    }

    private static async Task UploadToBothAsync(OrthancServer orthanc, ScriptedArchive ours)
    {
        foreach (var file in Files)
        {
            var bytes = await File.ReadAllBytesAsync(PydicomCorpus.FullPath(file));
            Assert.That(orthanc.Upload(bytes).Id, Is.Not.Null);
            await ours.UploadAsync(bytes);
        }
    }

    private static async Task<(HttpStatusCode Status, JsonNode Body)> PostQueryAsync(HttpClient client, string request)
    {
        using var response = await client.PostAsync("modalities/qr/query", new StringContent(request, Encoding.UTF8, "application/json"));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? new JsonObject());
    }

    // The answers of a query, simplified, in a stable order.
    private static async Task<JsonNode> AnswersAsync(HttpClient client, string request)
    {
        var (status, body) = await PostQueryAsync(client, request);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToJsonString());
        var answers = JsonNode.Parse(await client.GetStringAsync($"queries/{body["ID"]}/answers?expand&simplify"))!.AsArray();
        return new JsonArray([.. answers.OrderBy(a => a!["StudyInstanceUID"]?.ToString(), StringComparer.Ordinal).Select(a => a!.DeepClone())]);
    }
}
