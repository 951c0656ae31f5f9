using System.Net;
using System.Text.Json.Nodes;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Rest.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Rest.Tests;

/// <summary>
/// The REST routes of issue 4 against the real Orthanc 1.10.1: every pydicom corpus file is POSTed
/// to both; the upload answers, the resource lists, every resource's JSON, the statistics, the tags
/// and the files must be the same.
/// </summary>
[TestFixture]
[NonParallelizable]
public class RestOracleTests : CorpusOracleFixture
{
    private static readonly string[] Levels = ["patients", "studies", "series", "instances"];

    [Test]
    public void Upload_EveryCorpusFile_SameStatusAndAnswerAsOrthanc()
    {
        Clients();
        var differences = new List<string>();
        foreach (var (file, status, answer, theirStatus, theirAnswer) in Pair!.Uploads)
        {
            if (status != theirStatus)
                differences.Add($"{file}: HTTP {(int)status}, Orthanc {(int)theirStatus}");
            else if (status == HttpStatusCode.OK)
                differences.AddRange(JsonDiff.Differences(answer, theirAnswer).Select(d => $"{file}: {d}"));
        }

        Assert.That(differences, Is.Empty);
        Assert.That(Pair.Uploads.Count(u => u.Status == HttpStatusCode.OK), Is.GreaterThan(100), "most of the corpus is stored");
        Assert.That(Pair.Uploads.Count(u => u.Status == HttpStatusCode.BadRequest), Is.GreaterThan(5), "the non-DICOM files are refused");
        Assert.That(Pair.Uploads.Count(u => u.Answer?["Status"]?.GetValue<string>() == "AlreadyStored"), Is.GreaterThan(5), "same SOP instance in several files");
    }

    [TestCaseSource(nameof(Levels))]
    public async Task List_SameIdsAsOrthanc(string level)
    {
        var (ours, theirs) = Clients();
        var ourIds = Ids(await GetJsonAsync(ours, level));
        Assert.That(ourIds, Is.EquivalentTo(Ids(await GetJsonAsync(theirs, level))).And.Not.Empty);
        var expanded = (JsonArray)(await GetJsonAsync(ours, level + "?expand"))!;
        Assert.That(expanded.Select(r => r!["ID"]!.GetValue<string>()), Is.EqualTo(ourIds));
        var page = Ids(await GetJsonAsync(ours, level + "?since=1&limit=2"));
        Assert.That(page, Is.EqualTo(ourIds.Skip(1).Take(2)));
    }

    [TestCaseSource(nameof(Levels))]
    public async Task Resource_SameJsonAsOrthanc(string level)
    {
        var (ours, theirs) = Clients();
        var differences = new List<string>();
        foreach (var id in Ids(await GetJsonAsync(ours, level)))
        {
            var path = $"{level}/{id}";
            differences.AddRange((await Pair!.DifferencesAsync(path, id)).Select(d => $"{path}: {d}"));
        }

        Assert.That(differences, Is.Empty);
    }

    [Test]
    public async Task Statistics_SameAsOrthanc()
    {
        var (ours, theirs) = Clients();
        Assert.That(JsonDiff.Differences(await GetJsonAsync(ours, "statistics"), await GetJsonAsync(theirs, "statistics")), Is.Empty);
    }

    [Test]
    public async Task TagsAndFile_SameAsOrthanc()
    {
        var (ours, theirs) = Clients();
        var differences = new List<string>();
        var compared = 0;
        foreach (var (file, _, answer, _, _) in Pair!.Uploads.Where(u => u.Answer?["Status"]?.GetValue<string>() == "Success"))
        {
            var id = answer!["ID"]!.GetValue<string>();
            var bytes = await ours.GetByteArrayAsync($"instances/{id}/file");
            var uploaded = await File.ReadAllBytesAsync(PydicomCorpus.FullPath(file));
            if (!bytes.SequenceEqual(uploaded))
                differences.Add($"{file}: /file differs from the uploaded bytes");
            foreach (var route in new[] { "tags", "simplified-tags", "tags?short", "tags?simplify" })
            {
                var path = $"instances/{id}/{route}";
                differences.AddRange((await Pair.DifferencesAsync(path, id)).Select(d => $"{file} {route}: {d}"));
            }

            compared++;
        }

        Assert.That(differences, Is.Empty);
        Assert.That(compared, Is.GreaterThan(100));
    }

    // Files whose DICOM JSON Orthanc 1.10.1 writes against PS3.18 F.2 (README, "Where we differ").
    private static readonly Dictionary<string, string> OrthancDicomJsonQuirks = new()
    {
        ["test_files/693_J2KI.dcm"] = "trailing spaces kept in CS values",
        ["test_files/SC_rgb_gdcm_KY.dcm"] = "trailing spaces kept in CS values",
        ["test_files/SC_rgb_jpeg_lossy_gdcm.dcm"] = "trailing spaces kept in CS values",
        ["test_files/rtdose_rle.dcm"] = "trailing spaces kept; the AT value of FrameIncrementPointer left out",
        ["test_files/J2K_pixelrep_mismatch.dcm"] = "ISO_IR 13: backslashes read as yen signs, so multi-valued DS answered empty",
        ["test_files/badVR.dcm"] = "an IS value that is not a number answered as no value instead of null",
    };

    [Test]
    public async Task FileAsDicomJson_SameAsOrthanc()
    {
        var (ours, theirs) = Clients();
        var differences = new List<string>();
        var compared = 0;
        foreach (var (file, _, answer, _, _) in Pair!.Uploads.Where(u => u.Answer?["Status"]?.GetValue<string>() == "Success"))
        {
            // Character sets are compared through /tags (RestOracleTests, OrthancDeviations); Orthanc's
            // DICOM JSON also drops an empty first Specific Character Set value.
            if (file.StartsWith("charset_files/", StringComparison.Ordinal) || OrthancDicomJsonQuirks.ContainsKey(file))
                continue;
            var path = $"instances/{answer!["ID"]!.GetValue<string>()}/file";
            var (ourType, ourJson) = await DicomJsonAsync(ours, path);
            var (theirType, theirJson) = await DicomJsonAsync(theirs, path);
            if (ourType != theirType)
                differences.Add($"{file}: Content-Type {ourType}, Orthanc {theirType}");
            // Orthanc leaves encapsulated (compressed) pixel data out; we give it inline, as the rest.
            var encapsulated = ourJson?["7FE00010"]?["InlineBinary"] is not null && DicomFile.Open(PydicomCorpus.FullPath(file)).TransferSyntax.IsEncapsulated;
            differences.AddRange(JsonDiff.Differences(ourJson, theirJson, p => encapsulated && p == "/7FE00010", SameOrTinyFloats).Select(d => $"{file}: {d}"));
            compared++;
        }

        Assert.That(differences, Is.Empty);
        Assert.That(compared, Is.GreaterThan(90));
    }

    // Orthanc's DICOM JSON writes tiny FL values as 0 (seen: 1.4e-45 and 2.6e-29 in GE private tags).
    private static bool SameOrTinyFloats(double ours, double theirs) => ours == theirs || (Math.Abs(ours) < 1e-20 && theirs == 0);

    private static async Task<(string? ContentType, JsonNode? Json)> DicomJsonAsync(HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Accept", "application/dicom+json");
        using var response = await client.SendAsync(request);
        return (response.Content.Headers.ContentType?.MediaType, JsonNode.Parse(await response.Content.ReadAsStringAsync()));
    }

    [TestCase("instances/0000")]
    [TestCase("patients/0000")]
    [TestCase("instances/0000/file")]
    [TestCase("instances/0000/tags")]
    [TestCase("no-such-route")]
    [TestCase("instances?limit=2")]
    [TestCase("instances?since=x&limit=2")]
    public async Task UnknownResourceOrBadArgument_SameErrorAsOrthanc(string path)
    {
        var (ours, theirs) = Clients();
        await AssertSameErrorAsync(ours, theirs, path);
    }

    // Empty path segments ignored, a known URI asked with another method (405 and Allow), PUT and
    // DELETE faked with X-HTTP-Method-Override or ?_method=, any other faked method refused.
    [TestCase("GET", "//system", null)]
    [TestCase("GET", "/patients/", null)]
    [TestCase("GET", "//instances//", null)]
    [TestCase("PUT", "/system", null)]
    [TestCase("DELETE", "/tools/now", null)]
    [TestCase("POST", "/system", "PUT")]
    [TestCase("POST", "/patients", "PATCH")]
    [TestCase("GET", "/patients?_method=FOO", null)]
    [TestCase("GET", "/system?_method=put", null)]
    public async Task RequestForms_SameStatusAsOrthanc(string method, string uri, string? overrideHeader)
    {
        var (ours, theirs) = Clients();
        async Task<(HttpStatusCode, string)> SendAsync(HttpClient client)
        {
            // Absolute: "//system" alone would be read as a host name.
            using var request = new HttpRequestMessage(new HttpMethod(method), client.BaseAddress!.GetLeftPart(UriPartial.Authority) + uri);
            if (overrideHeader is not null)
                request.Headers.Add("X-HTTP-Method-Override", overrideHeader);
            using var response = await client.SendAsync(request);
            return (response.StatusCode, string.Join(',', response.Content.Headers.Allow));
        }

        var answer = await SendAsync(ours);
        Assert.That(answer, Is.EqualTo(await SendAsync(theirs)));
        Assert.That(answer.Item1, Is.Not.EqualTo(HttpStatusCode.NotFound), "every one of these is a known URI");
    }

    [Test]
    public async Task ResourceOfAnotherLevel_NotFoundAsOrthanc()
    {
        var (ours, theirs) = Clients();
        var study = Ids(await GetJsonAsync(ours, "studies"))[0];
        await AssertSameErrorAsync(ours, theirs, "series/" + study);
        await AssertSameErrorAsync(ours, theirs, "instances/" + study + "/file");
    }

    [Test]
    public async Task System_OrthancFieldsAndContract()
    {
        var (ours, theirs) = Clients();
        var ourSystem = (JsonObject)(await GetJsonAsync(ours, "system"))!;
        var theirSystem = (JsonObject)(await GetJsonAsync(theirs, "system"))!;
        Assert.That(ourSystem.Select(p => p.Key), Is.SupersetOf(theirSystem.Select(p => p.Key)));
        foreach (var key in new[] { "ApiVersion", "DatabaseVersion", "Version", "DatabaseBackendPlugin", "StorageAreaPlugin" })
            Assert.That(ourSystem[key]?.ToJsonString(), Is.EqualTo(theirSystem[key]?.ToJsonString()), key);
        Assert.That(ourSystem["Product"]!.GetValue<string>(), Is.EqualTo("DicomScript"));
    }

    private static Task AssertSameErrorAsync(HttpClient ours, HttpClient theirs, string path) => CorpusPair.AssertSameErrorAsync(ours, theirs, path);

    private static List<string> Ids(JsonNode? list) => CorpusPair.Ids(list);

    private static Task<JsonNode?> GetJsonAsync(HttpClient client, string path) => CorpusPair.GetJsonAsync(client, path);
}
