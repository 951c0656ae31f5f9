using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Rest.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Rest.Tests;

/// <summary>
/// Metadata, the change and export logs and the /tools routes against the real Orthanc 1.10.1,
/// with the pydicom corpus in both and the same UserMetadata; every request is sent to both and
/// the answers (status, body, ETag) must be the same.
/// </summary>
[TestFixture]
[NonParallelizable]
public class MetadataAndToolsOracleTests : CorpusOracleFixture
{
    private static readonly string[] Levels = ["patients", "studies", "series", "instances"];

    // Times differ between the two servers.
    private static readonly string[] TimeFields = ["/ReceptionDate", "/LastUpdate", "/Date"];

    protected override JsonObject? Settings => new JsonObject { ["UserMetadata"] = new JsonObject { ["Sample"] = 1024, ["Other"] = 2000 } };

    [TestCaseSource(nameof(Levels))]
    public async Task MetadataList_OfEveryResource_SameAsOrthanc(string level)
    {
        var (ours, theirs) = Clients();
        var differences = new List<string>();
        foreach (var id in CorpusPair.Ids(await CorpusPair.GetJsonAsync(ours, level)))
        {
            foreach (var path in new[] { $"{level}/{id}/metadata", $"{level}/{id}/metadata?expand" })
            {
                var (ourJson, theirJson) = (await CorpusPair.GetJsonAsync(ours, path), await CorpusPair.GetJsonAsync(theirs, path));
                differences.AddRange(JsonDiff.Differences(ourJson, theirJson, IsTime).Select(d => $"{path}: {d}"));
            }
        }

        Assert.That(differences, Is.Empty);
    }

    /// <summary>
    /// Each request goes to both, in order. Orthanc 1.10.1's SQLite index keeps no revisions (a
    /// GET always says revision 0); ours counts them, as Orthanc does on PostgreSQL (README), so
    /// the script overwrites a value only where the revision number is not compared.
    /// </summary>
    [Test]
    public async Task Metadata_WriteReadDelete_SameAnswersAndETagsAsOrthanc()
    {
        var (ours, theirs) = Clients();
        var instance = CorpusPair.Ids(await CorpusPair.GetJsonAsync(ours, "instances"))[3];
        var study = CorpusPair.Ids(await CorpusPair.GetJsonAsync(ours, "studies"))[1];
        var path = $"instances/{instance}/metadata";
        (HttpMethod Method, string Path, string? Body, (string Name, string Value)? Header)[] script =
        [
            (HttpMethod.Get, $"{path}/Sample", null, null), // absent: bare 404
            (HttpMethod.Put, $"{path}/Sample", "first value", null),
            (HttpMethod.Get, $"{path}/Sample", null, null),
            (HttpMethod.Get, $"{path}/1024", null, null),
            (HttpMethod.Get, $"{path}/Sample", null, ("If-None-Match", $"\"0-{Md5("first value")}\"")), // 304
            (HttpMethod.Get, $"{path}/Sample", null, ("If-None-Match", $"\"0-{Md5("other value")}\"")),
            (HttpMethod.Put, $"{path}/Sample", "x", ("If-Match", $"\"0-{Md5("other value")}\"")), // stale: 409
            (HttpMethod.Put, $"{path}/Sample", "x", ("If-Match", "garbage")), // 400
            (HttpMethod.Get, $"{path}/Sample", null, ("If-None-Match", "garbage")),
            (HttpMethod.Put, $"{path}/3000", "by number", null),
            (HttpMethod.Put, $"{path}/IndexInSeries", "7", null), // the server's own: 403
            (HttpMethod.Delete, $"{path}/RemoteAET", null, null), // 403
            (HttpMethod.Get, $"{path}/NoSuchName", null, null), // inexistent item
            (HttpMethod.Put, $"{path}/NoSuchName", "x", null),
            (HttpMethod.Get, path, null, null),
            (HttpMethod.Get, $"{path}?expand", null, null),
            (HttpMethod.Delete, $"{path}/Sample", null, ("If-Match", $"\"0-{Md5("other value")}\"")), // stale: 409
            (HttpMethod.Delete, $"{path}/Sample", null, ("If-Match", $"\"0-{Md5("first value")}\"")),
            (HttpMethod.Delete, $"{path}/Sample", null, null), // already gone: 404
            (HttpMethod.Delete, $"{path}/3000", null, null),
            (HttpMethod.Put, "instances/0000/metadata/Sample", "x", null),
            (HttpMethod.Get, "instances/0000/metadata", null, null),
            (HttpMethod.Get, $"series/{instance}/metadata", null, null), // another level's ID
            (HttpMethod.Get, $"series/{instance}/metadata/Sample", null, null),
            (HttpMethod.Put, $"studies/{study}/metadata/Other", "on a study", null),
            (HttpMethod.Get, $"studies/{study}/metadata?expand", null, null),
        ];
        foreach (var (method, target, body, header) in script)
        {
            await CorpusPair.AssertSameAnswerAsync(ours, theirs, () =>
            {
                var request = new HttpRequestMessage(method, target);
                if (body is not null)
                    request.Content = new StringContent(body, Encoding.UTF8, "text/plain");
                if (header is { } h)
                    request.Headers.TryAddWithoutValidation(h.Name, h.Value);
                return request;
            }, IsTime, compareETag: true);
        }
    }

    [Test]
    public async Task Changes_SameLogAndPagesAsOrthanc()
    {
        var (ours, theirs) = Clients();
        var differences = new List<string>();
        foreach (var path in new[] { "changes?limit=10000", "changes", "changes?since=5&limit=7", "changes?last", "changes?limit=0", "changes?since=99999", "changes?since=x" })
        {
            var (ourJson, theirJson) = (await CorpusPair.GetJsonAsync(ours, path), await CorpusPair.GetJsonAsync(theirs, path));
            differences.AddRange(JsonDiff.Differences(WithoutStableChanges(ourJson), WithoutStableChanges(theirJson), IsTime).Select(d => $"{path}: {d}"));
        }

        Assert.That(differences, Is.Empty);
        var all = (JsonArray)(await CorpusPair.GetJsonAsync(ours, "changes?limit=10000"))!["Changes"]!;
        Assert.That(all, Has.Count.GreaterThan(200), "the whole corpus was logged");
    }

    [Test]
    public async Task Exports_EmptyLogAsOrthanc()
    {
        var (ours, theirs) = Clients();
        foreach (var path in new[] { "exports", "exports?last", "exports?since=3&limit=2" })
            Assert.That(JsonDiff.Differences(await CorpusPair.GetJsonAsync(ours, path), await CorpusPair.GetJsonAsync(theirs, path)), Is.Empty, path);
    }

    [TestCase("""{"Level":"Patient","Query":{}}""")]
    [TestCase("""{"Level":"Study","Query":{"PatientName":"*"}}""")]
    [TestCase("""{"Level":"Study","Query":{"PatientName":"*a*"},"CaseSensitive":true}""")]
    [TestCase("""{"Level":"Study","Query":{"PatientName":"*a*"}}""")]
    [TestCase("""{"Level":"Study","Query":{"StudyDate":"20000101-"},"Expand":true}""")]
    [TestCase("""{"Level":"Study","Query":{"StudyDate":"-20040119"}}""")]
    [TestCase("""{"Level":"Series","Query":{"Modality":"CT\\MR"},"Expand":true,"Short":true}""")]
    [TestCase("""{"Level":"Series","Query":{"0008,0060":"MR"},"Expand":true,"Full":true}""")]
    [TestCase("""{"Level":"Study","Query":{"ModalitiesInStudy":"MR"}}""")]
    [TestCase("""{"Level":"Instance","Query":{"Rows":"64"}}""")]
    [TestCase("""{"Level":"Instance","Query":{"SOPClassUID":"1.2.840.10008.5.1.4.1.1.4"},"Limit":3,"Since":2}""")]
    [TestCase("""{"Level":"Instances","Query":{"PatientID":"*"},"Limit":5,"Expand":true}""")]
    [TestCase("""{"Level":"series","Query":{"SeriesDescription":"","Modality":"?T"}}""")]
    public async Task Find_SameAnswerAsOrthanc(string body)
    {
        var (ours, theirs) = Clients();
        using var ourResponse = await ours.SendAsync(CorpusPair.Post("tools/find", body));
        using var theirResponse = await theirs.SendAsync(CorpusPair.Post("tools/find", body));
        Assert.That(ourResponse.StatusCode, Is.EqualTo(HttpStatusCode.OK).And.EqualTo(theirResponse.StatusCode));
        var ourList = (JsonArray)JsonNode.Parse(await ourResponse.Content.ReadAsStringAsync())!;
        var theirList = (JsonArray)JsonNode.Parse(await theirResponse.Content.ReadAsStringAsync())!;
        // Expanded resources holding text Orthanc garbles (README) are left out of both.
        Pair!.RemoveDeviating(ourList);
        Pair.RemoveDeviating(theirList);
        Assert.That(JsonDiff.Differences(ourList, theirList, p => IsTime(p) || p.EndsWith("/FileUuid", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public async Task Find_MatchesSomething_ForTheTypicalQueries()
    {
        var (ours, _) = Clients();
        foreach (var body in new[] { """{"Level":"Study","Query":{"PatientName":"*"}}""", """{"Level":"Instance","Query":{"Rows":"64"}}""", """{"Level":"Study","Query":{"ModalitiesInStudy":"MR"}}""" })
        {
            using var response = await ours.SendAsync(CorpusPair.Post("tools/find", body));
            Assert.That(((JsonArray)JsonNode.Parse(await response.Content.ReadAsStringAsync())!).Count, Is.GreaterThan(0), body);
        }
    }

    [TestCase("not json")]
    [TestCase("[1, 2]")]
    [TestCase("""{"Query":{}}""")]
    [TestCase("""{"Level":3,"Query":{}}""")]
    [TestCase("""{"Level":"Study"}""")]
    [TestCase("""{"Level":"Nothing","Query":{}}""")]
    [TestCase("""{"Level":"Study","Query":{},"Limit":"3"}""")]
    [TestCase("""{"Level":"Study","Query":{},"Limit":-1}""")]
    [TestCase("""{"Level":"Study","Query":{},"Since":1.5}""")]
    [TestCase("""{"Level":"Study","Query":{},"CaseSensitive":1}""")]
    [TestCase("""{"Level":"Study","Query":{"PatientName":3}}""")]
    [TestCase("""{"Level":"Study","Query":{"NoSuchTag":"x"}}""")]
    public async Task Find_BadBodies_SameErrorAsOrthanc(string body)
    {
        var (ours, theirs) = Clients();
        await CorpusPair.AssertSameAnswerAsync(ours, theirs, () => CorpusPair.Post("tools/find", body));
    }

    [Test]
    public async Task Lookup_EachIdentifierAndUnknown_SameAnswerAsOrthanc()
    {
        var (ours, theirs) = Clients();
        var instance = (JsonObject)(await CorpusPair.GetJsonAsync(ours, "instances?expand&since=10&limit=1"))![0]!;
        var series = (JsonObject)(await CorpusPair.GetJsonAsync(ours, $"series/{instance["ParentSeries"]}"))!;
        var study = (JsonObject)(await CorpusPair.GetJsonAsync(ours, $"studies/{series["ParentStudy"]}"))!;
        string[] values =
        [
            instance["MainDicomTags"]!["SOPInstanceUID"]!.GetValue<string>(), series["MainDicomTags"]!["SeriesInstanceUID"]!.GetValue<string>(),
            study["MainDicomTags"]!["StudyInstanceUID"]!.GetValue<string>(), study["PatientMainDicomTags"]!["PatientID"]!.GetValue<string>(), "no such value",
        ];
        foreach (var value in values)
            await CorpusPair.AssertSameAnswerAsync(ours, theirs, () => CorpusPair.Post("tools/lookup", value));
        using var response = await ours.SendAsync(CorpusPair.Post("tools/lookup", values[0]));
        Assert.That(((JsonArray)JsonNode.Parse(await response.Content.ReadAsStringAsync())!).Single()!["Type"]!.GetValue<string>(), Is.EqualTo("Instance"));
    }

    [Test]
    public async Task Lookup_OtherCaseOrSpaces_FoundAsByOrthanc()
    {
        var (ours, theirs) = Clients();
        var patientIds = ((JsonArray)(await CorpusPair.GetJsonAsync(ours, "patients?expand"))!)
            .Select(p => p!["MainDicomTags"]?["PatientID"]?.GetValue<string>() ?? "");
        var withLetters = patientIds.First(id => id.Any(char.IsAsciiLetterUpper));
        foreach (var value in new[] { withLetters.ToLowerInvariant(), " " + withLetters + " " })
        {
            await CorpusPair.AssertSameAnswerAsync(ours, theirs, () => CorpusPair.Post("tools/lookup", value));
            using var response = await ours.SendAsync(CorpusPair.Post("tools/lookup", value));
            Assert.That((JsonArray)JsonNode.Parse(await response.Content.ReadAsStringAsync())!, Is.Not.Empty, value);
        }
    }

    [Test]
    public async Task GenerateUid_ValidPerLevel_AndRefusesOtherLevelsAsOrthanc()
    {
        var (ours, theirs) = Clients();
        foreach (var level in new[] { "study", "series", "instance" })
        {
            var uid = await ours.GetStringAsync($"tools/generate-uid?level={level}");
            Assert.That(uid, Does.Match(@"^2\.25\.[1-9][0-9]{0,38}$").And.Length.LessThanOrEqualTo(64), level);
            Assert.That(await ours.GetStringAsync($"tools/generate-uid?level={level}"), Is.Not.EqualTo(uid), "a new one each time");
        }

        Assert.That(Guid.TryParse(await ours.GetStringAsync("tools/generate-uid?level=patient"), out _), Is.True, "a patient gets a UUID, as from Orthanc");
        foreach (var path in new[] { "tools/generate-uid", "tools/generate-uid?level=Study", "tools/generate-uid?level=image" })
            await CorpusPair.AssertSameErrorAsync(ours, theirs, path);
    }

    [Test]
    public async Task Now_UtcAndLocal_AsOrthanc()
    {
        var (ours, theirs) = Clients();
        foreach (var path in new[] { "tools/now", "tools/now-local" })
        {
            var (ourNow, theirNow) = (await ours.GetStringAsync(path), await theirs.GetStringAsync(path));
            Assert.That(ourNow, Does.Match(@"^\d{8}T\d{6}$"), path);
            var difference = DateTime.ParseExact(ourNow, "yyyyMMdd'T'HHmmss", null) - DateTime.ParseExact(theirNow, "yyyyMMdd'T'HHmmss", null);
            Assert.That(Math.Abs(difference.TotalSeconds), Is.LessThan(5), $"{path}: ours {ourNow}, Orthanc {theirNow}");
        }
    }

    private static bool IsTime(string path) => TimeFields.Any(field => path.EndsWith(field, StringComparison.Ordinal));

    // Stability depends on each server's own timer.
    private static JsonNode? WithoutStableChanges(JsonNode? log)
    {
        if (log?["Changes"] is JsonArray changes)
        {
            foreach (var change in changes.Where(c => c!["ChangeType"]!.GetValue<string>().StartsWith("Stable", StringComparison.Ordinal)).ToList())
                changes.Remove(change);
        }

        return log;
    }

    private static string Md5(string value) => DicomScript.Storage.Index.MetadataRevision.Md5Of(value);
}
