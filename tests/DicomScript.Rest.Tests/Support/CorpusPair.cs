using System.Net;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Rest.Tests.Support;

/// <summary>
/// The real Orthanc 1.10.1 and our archive, each with the pydicom corpus POSTed to it, for
/// differential tests route by route: the upload answers, and Orthanc's answers with the text it
/// is known to garble (README) undone or skipped.
/// </summary>
internal sealed class CorpusPair : IAsyncDisposable
{
    // Volatile fields: times, our file names, and stability (a timer on each side), at any depth.
    private static readonly string[] VolatileFields = ["/LastUpdate", "/FileUuid", "/IsStable"];

    private static bool Volatile(string path) => VolatileFields.Any(field => path.EndsWith(field, StringComparison.Ordinal));

    // Resources holding text Orthanc garbles: their file, to undo or skip the known differences.
    private readonly Dictionary<string, (string File, DicomDataset Dataset)> _deviating = [];

    private CorpusPair(OrthancServer orthanc, RestArchive ours)
    {
        Orthanc = orthanc;
        Ours = ours;
    }

    public OrthancServer Orthanc { get; }

    public RestArchive Ours { get; }

    public List<(string File, HttpStatusCode Status, JsonNode? Answer, HttpStatusCode TheirStatus, JsonNode? TheirAnswer)> Uploads { get; } = [];

    /// <summary>
    /// Null (the tests then report the missing tool) when Orthanc or the corpus is not installed.
    /// <paramref name="settings"/> are configuration keys given to both.
    /// </summary>
    public static async Task<CorpusPair?> StartAsync(JsonObject? settings = null)
    {
        if (ExternalTools.Find("/usr/sbin/Orthanc") is null || !Directory.Exists(PydicomCorpus.TestFiles))
            return null;
        var pair = new CorpusPair(OrthancServer.Start(settings), await RestArchive.StartAsync(settings));
        // Files dcmtk cannot read are refused by Orthanc and read by us (leniently): nothing to compare.
        foreach (var file in PydicomCorpus.AllFiles().Where(f => !PydicomCorpus.DcmdumpCannotRead.Contains(f)))
        {
            var bytes = await File.ReadAllBytesAsync(PydicomCorpus.FullPath(file));
            var (status, answer) = await PostAsync(pair.Ours.Http, bytes);
            var (theirStatus, theirAnswer) = await PostAsync(pair.Orthanc.Http, bytes);
            pair.Uploads.Add((file, status, answer, theirStatus, theirAnswer));
            if (answer is not null && HasDeviations(file, out var dataset))
            {
                foreach (var key in new[] { "ID", "ParentSeries", "ParentStudy", "ParentPatient" })
                    pair._deviating[answer[key]!.GetValue<string>()] = (file, dataset);
            }
        }

        return pair;
    }

    /// <summary>Both clients; fails (or skips locally) with a clear message when a tool is missing.</summary>
    public static (HttpClient Ours, HttpClient Theirs) Clients(CorpusPair? pair)
    {
        ExternalTools.Require("/usr/sbin/Orthanc", "orthanc");
        PydicomCorpus.Require();
        return (pair!.Ours.Http, pair.Orthanc.Http);
    }

    /// <summary>
    /// The differences between our answer and Orthanc's for a GET, known garbling, documented
    /// deviations and volatile fields aside. Without <paramref name="resourceId"/>, the answer is a list of resources, and those
    /// holding garbled text are left out of both.
    /// </summary>
    public async Task<List<string>> DifferencesAsync(string path, string? resourceId = null)
    {
        var (ours, theirs) = (await GetJsonAsync(Ours.Http, path), await GetJsonAsync(Orthanc.Http, path));
        if (resourceId is null && ours is JsonArray ourList && theirs is JsonArray theirList)
        {
            RemoveDeviating(ourList);
            RemoveDeviating(theirList);
        }

        theirs = Normalized(resourceId, theirs, out var skip);
        return [.. JsonDiff.Differences(ours, theirs, skip).Where(d => !IsDocumentedDeviation(d))];
    }

    // 1.10.1 leaves out main tags longer than 256 bytes; we keep them (as Orthanc 1.11+ does; README).
    private static bool IsDocumentedDeviation(string difference) =>
        difference.Contains("not in theirs", StringComparison.Ordinal) && difference.Contains("MainDicomTags/", StringComparison.Ordinal);

    /// <summary>Removes from a list of expanded resources those holding text Orthanc garbles.</summary>
    public void RemoveDeviating(JsonArray list)
    {
        foreach (var item in list.Where(i => i is JsonObject o && o["ID"]?.GetValue<string>() is { } id && Deviates(id)).ToList())
            list.Remove(item);
    }

    // Orthanc's answer with its known garbling undone, and a skip rule for what cannot be undone.
    public JsonNode? Normalized(string? id, JsonNode? theirs, out Func<string, bool> skip)
    {
        skip = Volatile;
        if (id is null || !_deviating.TryGetValue(id, out var deviation) || theirs is null)
            return theirs;
        OrthancDeviations.NormalizeShiftJis(deviation.Dataset, theirs);
        // By name (simplified, MainDicomTags) or by "gggg,eeee" key (full and short formats).
        var garbled = OrthancDeviations.GarbledText(deviation.File)
            .SelectMany(name => DicomDictionary.TryFindTag(name, out var tag) ? [name, $"{tag.Group:x4},{tag.Element:x4}"] : new[] { name })
            .ToList();
        skip = path => Volatile(path) || garbled.Any(key => path.EndsWith("/" + key, StringComparison.Ordinal) || path.Contains("/" + key + "/", StringComparison.Ordinal));
        return theirs;
    }

    /// <summary>True when the resource holds text Orthanc garbles (its answers need <see cref="Normalized"/>).</summary>
    public bool Deviates(string id) => _deviating.ContainsKey(id);

    public static List<string> Ids(JsonNode? list) => [.. ((JsonArray)list!).Select(n => n!.GetValue<string>())];

    /// <summary>A POST of <paramref name="body"/> as JSON (sent as is, so malformed bodies can be sent too).</summary>
    public static HttpRequestMessage Post(string path, string body) =>
        new(HttpMethod.Post, path) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };

    public static async Task<JsonNode?> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"GET {path}: {text}");
        return JsonNode.Parse(text);
    }

    /// <summary>
    /// Asserts both answer <paramref name="request"/> with the same status and the same body (JSON
    /// compared, paths <paramref name="skip"/> aside; or text), and with <paramref name="compareETag"/> the same ETag.
    /// </summary>
    public static async Task AssertSameAnswerAsync(HttpClient ours, HttpClient theirs, Func<HttpRequestMessage> request,
        Func<string, bool>? skip = null, bool compareETag = false)
    {
        using var ourResponse = await ours.SendAsync(request());
        using var theirResponse = await theirs.SendAsync(request());
        var description = $"{theirResponse.RequestMessage!.Method} {theirResponse.RequestMessage.RequestUri!.PathAndQuery}";
        Assert.That(ourResponse.StatusCode, Is.EqualTo(theirResponse.StatusCode), description);
        var (ourBody, theirBody) = (await ourResponse.Content.ReadAsStringAsync(), await theirResponse.Content.ReadAsStringAsync());
        if (theirBody.Length == 0 || theirBody[0] is not ('{' or '['))
            Assert.That(ourBody, Is.EqualTo(theirBody), description);
        else
            Assert.That(JsonDiff.Differences(JsonNode.Parse(ourBody), JsonNode.Parse(theirBody), skip).Where(d => !IsAddedDetails(d)), Is.Empty, description);
        if (compareETag)
            Assert.That(ourResponse.Headers.ETag?.ToString(), Is.EqualTo(theirResponse.Headers.ETag?.ToString()), description + " ETag");
    }

    // Where Orthanc's error body says only what kind of error it is, ours may add Details (README).
    private static bool IsAddedDetails(string difference) => difference.StartsWith("/Details: not in theirs", StringComparison.Ordinal);

    public static Task AssertSameErrorAsync(HttpClient ours, HttpClient theirs, string path) =>
        AssertSameAnswerAsync(ours, theirs, () => new HttpRequestMessage(HttpMethod.Get, path));

    public async ValueTask DisposeAsync()
    {
        await Ours.DisposeAsync();
        Orthanc.Dispose();
    }

    private static bool HasDeviations(string file, out DicomDataset dataset)
    {
        dataset = DicomFile.Open(PydicomCorpus.FullPath(file)).Dataset;
        var characterSet = dataset.CharacterSet.DefinedTerms;
        return OrthancDeviations.GarbledText(file).Length > 0 || (characterSet.Count > 0 && characterSet[0].EndsWith("IR 13", StringComparison.Ordinal));
    }

    private static async Task<(HttpStatusCode, JsonNode?)> PostAsync(HttpClient client, byte[] file)
    {
        using var content = new ByteArrayContent(file);
        using var response = await client.PostAsync("instances", content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.StatusCode == HttpStatusCode.OK ? JsonNode.Parse(text) : null);
    }
}
