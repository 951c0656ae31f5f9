using System.Net;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
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
public class RestOracleTests
{
    // Volatile fields: times, our file names, and stability (a timer on each side).
    private static readonly HashSet<string> Volatile = ["/LastUpdate", "/FileUuid", "/IsStable"];

    private static readonly string[] Levels = ["patients", "studies", "series", "instances"];

    private OrthancServer? _orthanc;
    private RestArchive? _ours;
    private readonly List<(string File, HttpStatusCode Status, JsonNode? Answer, HttpStatusCode TheirStatus, JsonNode? TheirAnswer)> _uploads = [];

    [OneTimeSetUp]
    public async Task UploadCorpusToBoth()
    {
        if (ExternalTools.Find("/usr/sbin/Orthanc") is null || !Directory.Exists(PydicomCorpus.TestFiles))
            return;
        _orthanc = OrthancServer.Start();
        _ours = await RestArchive.StartAsync();
        // Files dcmtk cannot read are refused by Orthanc and read by us (leniently): nothing to compare.
        foreach (var file in PydicomCorpus.AllFiles().Where(f => !PydicomCorpus.DcmdumpCannotRead.Contains(f)))
        {
            var bytes = await File.ReadAllBytesAsync(PydicomCorpus.FullPath(file));
            var (status, answer) = await PostAsync(_ours.Http, bytes);
            var (theirStatus, theirAnswer) = await PostAsync(_orthanc.Http, bytes);
            _uploads.Add((file, status, answer, theirStatus, theirAnswer));
            if (answer is not null && HasDeviations(file, out var dataset))
            {
                foreach (var key in new[] { "ID", "ParentSeries", "ParentStudy", "ParentPatient" })
                    _deviating[answer[key]!.GetValue<string>()] = (file, dataset);
            }
        }
    }

    // Resources holding text Orthanc garbles (README): their file, to undo or skip the known differences.
    private readonly Dictionary<string, (string File, DicomDataset Dataset)> _deviating = [];

    private static bool HasDeviations(string file, out DicomDataset dataset)
    {
        dataset = DicomFile.Open(PydicomCorpus.FullPath(file)).Dataset;
        var characterSet = dataset.CharacterSet.DefinedTerms;
        return OrthancDeviations.GarbledText(file).Length > 0 || (characterSet.Count > 0 && characterSet[0].EndsWith("IR 13", StringComparison.Ordinal));
    }

    // Orthanc's answer with its known garbling undone, and a skip rule for what cannot be undone.
    private JsonNode? Normalized(string id, JsonNode? theirs, out Func<string, bool> skip)
    {
        skip = Volatile.Contains;
        if (!_deviating.TryGetValue(id, out var deviation) || theirs is null)
            return theirs;
        OrthancDeviations.NormalizeShiftJis(deviation.Dataset, theirs);
        // By name (simplified, MainDicomTags) or by "gggg,eeee" key (full and short formats).
        var garbled = OrthancDeviations.GarbledText(deviation.File)
            .SelectMany(name => DicomDictionary.TryFindTag(name, out var tag) ? [name, $"{tag.Group:x4},{tag.Element:x4}"] : new[] { name })
            .ToList();
        skip = path => Volatile.Contains(path) || garbled.Any(key => path.EndsWith("/" + key, StringComparison.Ordinal) || path.Contains("/" + key + "/", StringComparison.Ordinal));
        return theirs;
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_ours is not null)
            await _ours.DisposeAsync();
        _orthanc?.Dispose();
    }

    private (HttpClient Ours, HttpClient Theirs) Clients()
    {
        ExternalTools.Require("/usr/sbin/Orthanc", "orthanc");
        PydicomCorpus.Require();
        return (_ours!.Http, _orthanc!.Http);
    }

    [Test]
    public void Upload_EveryCorpusFile_SameStatusAndAnswerAsOrthanc()
    {
        Clients();
        var differences = new List<string>();
        foreach (var (file, status, answer, theirStatus, theirAnswer) in _uploads)
        {
            if (status != theirStatus)
                differences.Add($"{file}: HTTP {(int)status}, Orthanc {(int)theirStatus}");
            else if (status == HttpStatusCode.OK)
                differences.AddRange(JsonDiff.Differences(answer, theirAnswer).Select(d => $"{file}: {d}"));
        }

        Assert.That(differences, Is.Empty);
        Assert.That(_uploads.Count(u => u.Status == HttpStatusCode.OK), Is.GreaterThan(100), "most of the corpus is stored");
        Assert.That(_uploads.Count(u => u.Status == HttpStatusCode.BadRequest), Is.GreaterThan(5), "the non-DICOM files are refused");
        Assert.That(_uploads.Count(u => u.Answer?["Status"]?.GetValue<string>() == "AlreadyStored"), Is.GreaterThan(5), "same SOP instance in several files");
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
            var theirJson = Normalized(id, await GetJsonAsync(theirs, path), out var skip);
            differences.AddRange(JsonDiff.Differences(await GetJsonAsync(ours, path), theirJson, skip)
                .Where(d => !IsDocumentedDeviation(d)).Select(d => $"{path}: {d}"));
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
        foreach (var (file, _, answer, _, _) in _uploads.Where(u => u.Answer?["Status"]?.GetValue<string>() == "Success"))
        {
            var id = answer!["ID"]!.GetValue<string>();
            var bytes = await ours.GetByteArrayAsync($"instances/{id}/file");
            var uploaded = await File.ReadAllBytesAsync(PydicomCorpus.FullPath(file));
            if (!bytes.SequenceEqual(uploaded))
                differences.Add($"{file}: /file differs from the uploaded bytes");
            foreach (var route in new[] { "tags", "simplified-tags", "tags?short", "tags?simplify" })
            {
                var path = $"instances/{id}/{route}";
                var theirJson = Normalized(id, await GetJsonAsync(theirs, path), out var skip);
                differences.AddRange(JsonDiff.Differences(await GetJsonAsync(ours, path), theirJson, skip).Select(d => $"{file} {route}: {d}"));
            }

            compared++;
        }

        Assert.That(differences, Is.Empty);
        Assert.That(compared, Is.GreaterThan(100));
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

    // 1.10.1 leaves out main tags longer than 256 bytes; we keep them (as Orthanc 1.11+ does).
    private static bool IsDocumentedDeviation(string difference) =>
        difference.Contains("not in theirs", StringComparison.Ordinal) && difference.Contains("MainDicomTags/", StringComparison.Ordinal);

    private static async Task AssertSameErrorAsync(HttpClient ours, HttpClient theirs, string path)
    {
        using var ourResponse = await ours.GetAsync(path);
        using var theirResponse = await theirs.GetAsync(path);
        Assert.That(ourResponse.StatusCode, Is.EqualTo(theirResponse.StatusCode), path);
        var (ourBody, theirBody) = (await ourResponse.Content.ReadAsStringAsync(), await theirResponse.Content.ReadAsStringAsync());
        if (theirBody.Length == 0)
            Assert.That(ourBody, Is.Empty, path);
        else
            Assert.That(JsonDiff.Differences(JsonNode.Parse(ourBody), JsonNode.Parse(theirBody)), Is.Empty, path);
    }

    private static List<string> Ids(JsonNode? list) => [.. ((JsonArray)list!).Select(n => n!.GetValue<string>())];

    private static async Task<JsonNode?> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"GET {path}: {text}");
        return JsonNode.Parse(text);
    }

    private static async Task<(HttpStatusCode, JsonNode?)> PostAsync(HttpClient client, byte[] file)
    {
        using var content = new ByteArrayContent(file);
        using var response = await client.PostAsync("instances", content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.StatusCode == HttpStatusCode.OK ? JsonNode.Parse(text) : null);
    }
}
