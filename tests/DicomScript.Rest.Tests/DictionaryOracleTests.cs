using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Rest.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Rest.Tests;

/// <summary>
/// The <c>Dictionary</c> configuration key against the real Orthanc 1.10.1, both configured with
/// the same private tags: an implicit-VR file holding them reads the same (names, VRs, a private
/// sequence), and a modification names one by its declared name under its private creator.
/// </summary>
[TestFixture]
[NonParallelizable]
public class DictionaryOracleTests
{
    // Creators and names of our own, so that no other test sees these declarations.
    private static JsonObject Settings() => new()
    {
        ["Dictionary"] = new JsonObject
        {
            ["4321,1012"] = new JsonArray("LO", "RadioButton3", 1, 1, "DicomScript Radio"),
            ["0409,1001"] = new JsonArray("DS", "DicomScriptScore", 1, 1, "DicomScript Scores"),
            ["0409,1005"] = new JsonArray("SQ", "DicomScriptFindings", 1, 1, "DicomScript Scores"),
        },
    };

    // CT_small in implicit VR with the three private tags: without the declarations their VR is unknown.
    private static byte[] FileWithPrivateTags()
    {
        var file = DicomFile.Open(PydicomCorpus.FullPath("test_files/CT_small.dcm"));
        var dataset = file.Dataset;
        dataset.AddString(new DicomTag(0x4321, 0x0010), DicomVR.LO, "DicomScript Radio");
        dataset.AddString(new DicomTag(0x4321, 0x1012), DicomVR.LO, "jklmopq");
        dataset.AddString(new DicomTag(0x0409, 0x0010), DicomVR.LO, "DicomScript Scores");
        dataset.AddString(new DicomTag(0x0409, 0x1001), DicomVR.DS, "0.75");
        var finding = new DicomDataset().AddString(DicomTags.CodeValue, DicomVR.SH, "F1").AddString(DicomTags.CodeMeaning, DicomVR.LO, "nodule");
        dataset.Add(new DicomSequence(new DicomTag(0x0409, 0x1005), [finding]));
        return DicomWriter.ToBytes(file, DicomTransferSyntax.ImplicitVRLittleEndian);
    }

    private static async Task<string> PostAsync(HttpClient client, string path, HttpContent content)
    {
        using var response = await client.PostAsync(path, content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{path}: {body}");
        return body;
    }

    [Test]
    public async Task DeclaredPrivateTags_ReadAndModifiedAsOrthanc()
    {
        PydicomCorpus.Require();
        using var orthanc = OrthancServer.Start(Settings());
        await using var ours = await RestArchive.StartAsync(Settings());
        var bytes = FileWithPrivateTags();
        var tags = new List<JsonNode>();
        var simplified = new List<JsonNode>();
        var modified = new List<JsonNode>();
        foreach (var client in new[] { ours.Http, orthanc.Http })
        {
            var id = JsonNode.Parse(await PostAsync(client, "instances", new ByteArrayContent(bytes)))!["ID"]!.GetValue<string>();
            tags.Add(JsonNode.Parse(await client.GetStringAsync($"instances/{id}/tags"))!);
            simplified.Add(JsonNode.Parse(await client.GetStringAsync($"instances/{id}/tags?simplify"))!);
            var series = JsonNode.Parse(await client.GetStringAsync($"instances/{id}"))!["ParentSeries"]!.GetValue<string>();
            var request = """{"Replace": {"RadioButton3": "aaabbbccc"}, "PrivateCreator": "DicomScript Radio"}""";
            var target = JsonNode.Parse(await PostAsync(client, $"series/{series}/modify", new StringContent(request, Encoding.UTF8, "application/json")))!["ID"]!;
            var instance = ((JsonArray)JsonNode.Parse(await client.GetStringAsync($"series/{target}/instances"))!).Single()!["ID"]!;
            modified.Add(JsonNode.Parse(await client.GetStringAsync($"instances/{instance}/tags"))!["4321,1012"]!);
        }

        Assert.That(JsonDiff.Differences(tags[0], tags[1]), Is.Empty);
        Assert.That(JsonDiff.Differences(simplified[0], simplified[1]), Is.Empty);
        Assert.That(simplified[0]["RadioButton3"]?.GetValue<string>(), Is.EqualTo("jklmopq"));
        Assert.That(simplified[0]["DicomScriptScore"]?.GetValue<string>(), Is.EqualTo("0.75"));
        Assert.That(simplified[0]["DicomScriptFindings"]?[0]?["CodeMeaning"]?.GetValue<string>(), Is.EqualTo("nodule"), "a private sequence read in implicit VR");
        Assert.That(JsonDiff.Differences(modified[0], modified[1]), Is.Empty);
        Assert.That(modified[0].ToJsonString(), Is.EqualTo("""{"Name":"RadioButton3","PrivateCreator":"DicomScript Radio","Type":"String","Value":"aaabbbccc"}"""));
    }
}
