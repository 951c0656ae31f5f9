using System.Net;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Rest.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Rest.Tests;

// Patients, studies, series and bulk requests: ResourceModification jobs on both servers.
public partial class ModifyOracleTests
{
    // What legitimately differs between the resources both create: their IDs, generated UIDs and names, times.
    private static readonly HashSet<string> GeneratedFields =
    [
        "/ID", "/Path", "/PatientID", "/ParentPatient", "/ParentStudy", "/ParentSeries", "/Studies", "/Series", "/Instances",
        "/LastUpdate", "/IsStable", "/FileUuid", "/MainDicomTags/StudyInstanceUID", "/MainDicomTags/SeriesInstanceUID",
        "/MainDicomTags/SOPInstanceUID", "/MainDicomTags/PatientID", "/MainDicomTags/PatientName",
        "/PatientMainDicomTags/PatientID", "/PatientMainDicomTags/PatientName",
    ];

    [TestCase("series/{CTSeries}/modify", """{"Replace": {"InstitutionName": "Clinic"}}""")]
    [TestCase("studies/{CTStudy}/anonymize", "{}")]
    [TestCase("patients/{CTPatient}/modify", """{"Replace": {"PatientID": "P2", "PatientName": "Two"}, "Force": true}""")]
    [TestCase("studies/{SRStudy}/anonymize", """{"KeepPrivateTags": true, "Keep": ["StudyDescription"]}""")]
    [TestCase("series/{CTSeries}/modify", """{"Replace": {"SeriesDescription": "Big endian"}, "Transcode": "1.2.840.10008.1.2.2"}""")]
    public async Task Resource_SameNewResourceAsOrthanc(string route, string body)
    {
        var (ours, theirs) = Clients();
        var ourAnswer = await SucceedAsync(ours, Expand(route), body);
        var theirAnswer = await SucceedAsync(theirs, Expand(route), body);
        Assert.That(JsonDiff.Differences(ourAnswer, theirAnswer, GeneratedFields.Contains), Is.Empty);
        Assert.That(ourAnswer["PatientID"]!.GetValue<string>() == Expand("{CTPatient}"), Is.EqualTo(theirAnswer["PatientID"]!.GetValue<string>() == Expand("{CTPatient}")));

        var ourPath = ourAnswer["Path"]!.GetValue<string>().TrimStart('/');
        var theirPath = theirAnswer["Path"]!.GetValue<string>().TrimStart('/');
        Assert.That(JsonDiff.Differences(await CorpusPair.GetJsonAsync(ours, ourPath), await CorpusPair.GetJsonAsync(theirs, theirPath), GeneratedFields.Contains),
            Is.Empty, "the new resource, with its AnonymizedFrom or ModifiedFrom");
        Assert.That(await NewInstancesAsync(ours, ourPath), Is.EqualTo(await NewInstancesAsync(theirs, theirPath)));
    }

    [TestCase("tools/bulk-modify", """{"Resources": ["{CT}", "{MR}"], "Replace": {"InstitutionName": "Bulk"}}""")]
    [TestCase("tools/bulk-modify", """{"Resources": ["{CTSeries}"], "Level": "Study", "Replace": {"StudyDescription": "Bulk"}}""")]
    [TestCase("tools/bulk-anonymize", """{"Resources": ["{CTSeries}", "{CT}"]}""")]
    public async Task Bulk_SameResourcesAsOrthanc(string route, string body)
    {
        var (ours, theirs) = Clients();
        var ourAnswer = await SucceedAsync(ours, route, Expand(body));
        var theirAnswer = await SucceedAsync(theirs, route, Expand(body));
        Assert.That(JsonDiff.Differences(ourAnswer, theirAnswer, path => path.StartsWith("/Resources", StringComparison.Ordinal)), Is.Empty);
        static List<string> Types(JsonNode answer) => [.. answer["Resources"]!.AsArray().Select(r => r!["Type"]!.GetValue<string>())];
        Assert.That(Types(ourAnswer), Is.EqualTo(Types(theirAnswer)), "as many new resources of each level, in Orthanc's order");
        async Task<List<List<string>>> Instances(HttpClient client, JsonNode answer) =>
            await FilesAsync(client, answer["Resources"]!.AsArray().Where(r => r!["Type"]!.GetValue<string>() == "Instance").Select(r => r!["ID"]!.GetValue<string>()));
        Assert.That(await Instances(ours, ourAnswer), Is.EqualTo(await Instances(theirs, theirAnswer)));
    }

    [Test]
    public async Task Resource_WithoutKeepSource_OriginalsDeletedOnBoth()
    {
        var (ours, theirs) = Clients();
        foreach (var client in new[] { ours, theirs })
        {
            var originals = (await CorpusPair.GetJsonAsync(client, Expand("series/{MRSeries}")))!["Instances"]!.AsArray().Count;
            var answer = await SucceedAsync(client, Expand("series/{MRSeries}/modify"), """{"Replace": {"SeriesDescription": "moved"}, "KeepSource": false}""");
            var created = await CorpusPair.GetJsonAsync(client, answer["Path"]!.GetValue<string>().TrimStart('/'));
            Assert.That(created!["Instances"]!.AsArray(), Has.Count.EqualTo(originals));
            using var original = await client.GetAsync(Expand("series/{MRSeries}"));
            Assert.That(original.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        }
    }

    [Test]
    public async Task Resource_Asynchronous_SameJobAsOrthanc()
    {
        var (ours, theirs) = Clients();
        const string body = """{"Replace": {"InstitutionName": "Later"}, "Asynchronous": true, "Priority": 3}""";
        var ourJob = await JobPolling.FinishedJobAsync(ours, CorpusPair.Post(Expand("series/{CTSeries}/modify"), body));
        var theirJob = await JobPolling.FinishedJobAsync(theirs, CorpusPair.Post(Expand("series/{CTSeries}/modify"), body));
        Assert.That(JsonDiff.Differences(ourJob, theirJob, path => JobPolling.Volatile.Contains(path) || path is "/Content/ID" or "/Content/Path"), Is.Empty);
        Assert.That(ourJob["Type"]!.GetValue<string>(), Is.EqualTo("ResourceModification"));
        Assert.That(ourJob["Content"]!["PatientID"]!.GetValue<string>(), Is.EqualTo(Expand("{CTPatient}")));
    }

    private static async Task<JsonNode> SucceedAsync(HttpClient client, string path, string body)
    {
        using var response = await client.SendAsync(CorpusPair.Post(path, body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{client.BaseAddress} {path}: {text}");
        return JsonNode.Parse(text)!;
    }

    // The files of a new resource's instances (normalized and sorted) and where each came from.
    private async Task<List<List<string>>> NewInstancesAsync(HttpClient client, string resourcePath)
    {
        var instances = (await CorpusPair.GetJsonAsync(client, resourcePath + "/instances"))!.AsArray().Select(i => i!["ID"]!.GetValue<string>());
        return await FilesAsync(client, instances);
    }

    // A source that is itself made by an earlier test has a different ID on each side; the uploaded files have the same.
    private async Task<List<List<string>>> FilesAsync(HttpClient client, IEnumerable<string> instances)
    {
        var files = new List<List<string>>();
        foreach (var id in instances)
        {
            var metadata = (await CorpusPair.GetJsonAsync(client, $"instances/{id}/metadata?expand"))!.AsObject();
            var source = metadata.Where(m => m.Key is "ModifiedFrom" or "AnonymizedFrom")
                .Select(m => $"{m.Key}: {(_originals.Contains(m.Value!.GetValue<string>()) ? m.Value : "(made by an earlier test)")}").ToList();
            Assert.That(source, Has.Count.EqualTo(1), $"{client.BaseAddress} instance {id} names its source");
            var file = Normalized(await client.GetByteArrayAsync($"instances/{id}/file"));
            file.Insert(0, source[0]);
            file.Insert(1, "TransferSyntax: " + metadata["TransferSyntax"]);
            files.Add(file);
        }

        return [.. files.OrderBy(f => string.Join('\n', f), StringComparer.Ordinal)];
    }
}
