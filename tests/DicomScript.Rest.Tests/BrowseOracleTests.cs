using System.Text.Json.Nodes;
using DicomScript.Rest.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Rest.Tests;

/// <summary>
/// Moving through the archive against the real Orthanc 1.10.1, with the pydicom corpus in both:
/// every child and parent route of every resource, the formats of the resource JSON, statistics
/// and shared tags of every resource, and the errors for unknown or wrong-level IDs.
/// </summary>
[TestFixture]
[NonParallelizable]
public class BrowseOracleTests : CorpusOracleFixture
{
    private static readonly string[] Levels = ["patients", "studies", "series", "instances"];

    private static readonly Dictionary<string, string[]> RelatedRoutes = new()
    {
        ["patients"] = ["studies", "series", "instances"],
        ["studies"] = ["series", "instances", "patient"],
        ["series"] = ["instances", "study", "patient"],
        ["instances"] = ["series", "study", "patient"],
    };

    [TestCaseSource(nameof(Levels))]
    public async Task ChildAndParentRoutes_OfEveryResource_SameJsonAsOrthanc(string level)
    {
        var (ours, _) = Clients();
        var differences = new List<string>();
        var compared = 0;
        foreach (var id in CorpusPair.Ids(await CorpusPair.GetJsonAsync(ours, level)))
        {
            foreach (var related in RelatedRoutes[level])
            {
                var path = $"{level}/{id}/{related}";
                differences.AddRange((await Pair!.DifferencesAsync(path, id)).Select(d => $"{path}: {d}"));
                compared++;
            }
        }

        Assert.That(differences, Is.Empty);
        Assert.That(compared, Is.GreaterThan(50));
    }

    [TestCase("?short")]
    [TestCase("?full")]
    [TestCase("?simplify")]
    public async Task ResourceFormats_SameJsonAsOrthanc(string format)
    {
        var (ours, _) = Clients();
        var differences = new List<string>();
        foreach (var level in Levels)
        {
            var ids = CorpusPair.Ids(await CorpusPair.GetJsonAsync(ours, level));
            foreach (var id in ids.Take(15))
                differences.AddRange((await Pair!.DifferencesAsync($"{level}/{id}{format}", id)).Select(d => $"{level}/{id}{format}: {d}"));
            differences.AddRange((await Pair!.DifferencesAsync($"{level}?expand&since=0&limit=15{format.Replace('?', '&')}"))
                .Select(d => $"{level} list{format}: {d}"));
            differences.AddRange((await Pair!.DifferencesAsync($"{level}/{ids[0]}/{RelatedRoutes[level][0]}{format}", ids[0])).Select(d => $"{level} related{format}: {d}"));
        }

        Assert.That(differences, Is.Empty);
    }

    [TestCaseSource(nameof(Levels))]
    public async Task Statistics_OfEveryResource_SameAsOrthanc(string level)
    {
        var (ours, _) = Clients();
        var differences = new List<string>();
        foreach (var id in CorpusPair.Ids(await CorpusPair.GetJsonAsync(ours, level)))
            differences.AddRange((await Pair!.DifferencesAsync($"{level}/{id}/statistics")).Select(d => $"{level}/{id}: {d}"));
        Assert.That(differences, Is.Empty);
    }

    [TestCase("patients", "")]
    [TestCase("studies", "")]
    [TestCase("series", "")]
    [TestCase("series", "?simplify")]
    [TestCase("studies", "?short")]
    public async Task SharedTags_OfEveryResource_SameAsOrthanc(string level, string format)
    {
        var (ours, _) = Clients();
        var differences = new List<string>();
        var nonEmpty = 0;
        foreach (var id in CorpusPair.Ids(await CorpusPair.GetJsonAsync(ours, level)))
        {
            var path = $"{level}/{id}/shared-tags{format}";
            differences.AddRange((await Pair!.DifferencesAsync(path, id)).Select(d => $"{path}: {d}"));
            if (((JsonObject)(await CorpusPair.GetJsonAsync(ours, path))!).Count > 5)
                nonEmpty++;
        }

        Assert.That(differences, Is.Empty);
        Assert.That(nonEmpty, Is.GreaterThan(10), "most resources share many tags");
    }

    [Test]
    public async Task UnknownOrWrongLevelIds_SameAnswerAsOrthanc()
    {
        var (ours, theirs) = Clients();
        var patient = CorpusPair.Ids(await CorpusPair.GetJsonAsync(ours, "patients"))[0];
        var study = CorpusPair.Ids(await CorpusPair.GetJsonAsync(ours, "studies"))[0];
        var instance = CorpusPair.Ids(await CorpusPair.GetJsonAsync(ours, "instances"))[0];
        string[] paths =
        [
            "patients/0000/studies", "studies/0000/instances", "instances/0000/patient", "series/0000/study", "series/0000/statistics",
            "studies/0000/shared-tags", $"patients/{study}/studies", $"patients/{instance}/studies", $"patients/{study}/instances",
            $"studies/{patient}/patient", $"instances/{study}/series", $"patients/{instance}/statistics", $"series/{patient}/shared-tags?short",
        ];
        foreach (var path in paths)
            await CorpusPair.AssertSameErrorAsync(ours, theirs, path);
    }
}
