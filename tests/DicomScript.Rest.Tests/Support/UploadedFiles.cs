using System.Text.Json.Nodes;
using DicomScript.Dicom.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Rest.Tests.Support;

/// <summary>Corpus files uploaded to the real Orthanc and to ours, with our answers (IDs of each file and its parents).</summary>
internal sealed class UploadedFiles
{
    private readonly Dictionary<string, JsonNode> _answers = [];

    /// <summary>Uploads each file to both; Orthanc must accept every one.</summary>
    public static async Task<UploadedFiles> ToBothAsync(OrthancServer orthanc, RestArchive ours, IEnumerable<string> files)
    {
        var uploaded = new UploadedFiles();
        foreach (var file in files)
        {
            var bytes = await File.ReadAllBytesAsync(PydicomCorpus.FullPath(file));
            Assert.That(orthanc.Upload(bytes).Id, Is.Not.Null, file);
            using var content = new ByteArrayContent(bytes);
            using var response = await ours.Http.PostAsync("instances", content);
            uploaded._answers[file] = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        }

        return uploaded;
    }

    /// <summary>The file's instance ID, or with <paramref name="key"/> (ParentStudy...) one of its parents'.</summary>
    public string Id(string file, string key = "ID") => _answers[file][key]!.GetValue<string>();
}
