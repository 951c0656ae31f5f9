using System.Text.Json.Nodes;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Json;
using DicomScript.Dicom.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Dicom.Tests.Json;

/// <summary>
/// Each corpus file uploaded to the real Orthanc 1.10.1: its <c>/simplified-tags</c> and <c>/tags</c>
/// equal our JSON for the same file, except where Orthanc garbles text and we decode it correctly
/// (listed below; the charset tests check those values against pydicom).
/// </summary>
[TestFixture]
public class OrthancOracleTests : OrthancOracleFixture
{
    public static IEnumerable<string> Files() => Corpus.CorpusReadTests.ValidFiles();

    [TestCaseSource(nameof(Files))]
    public void SimplifiedAndFullTags_CorpusFile_SameAsOrthanc(string file)
    {
        var orthanc = RequireOrthanc();
        var bytes = File.ReadAllBytes(PydicomCorpus.FullPath(file));
        var (id, answer) = orthanc.Upload(bytes);
        if (id is null)
        {
            Assert.Ignore($"Orthanc stores no instance for this file, so there is nothing to compare: {answer}");
            return;
        }

        JsonNode simplified, full;
        try
        {
            simplified = orthanc.GetJson($"instances/{id}/simplified-tags");
            full = orthanc.GetJson($"instances/{id}/tags");
        }
        finally
        {
            orthanc.Delete($"instances/{id}"); // files sharing an instance ID are compared one at a time
        }

        var dataset = DicomFile.Parse(bytes).Dataset;
        var garbled = OrthancDeviations.GarbledText(file);
        OrthancDeviations.NormalizeShiftJis(dataset, simplified);
        OrthancDeviations.NormalizeShiftJis(dataset, full);

        var ours = JsonNode.Parse(OrthancJsonWriter.ToJson(dataset, OrthancTagFormat.Simplified));
        var simplifiedDifferences = JsonDiff.Differences(ours, simplified, path => garbled.Any(n => path == "/" + n));
        Assert.That(simplifiedDifferences, Is.Empty, "simplified-tags");

        var garbledTags = full.AsObject().Where(p => garbled.Contains(p.Value?["Name"]?.GetValue<string>())).Select(p => "/" + p.Key).ToHashSet();
        var oursFull = JsonNode.Parse(OrthancJsonWriter.ToJson(dataset, OrthancTagFormat.Full));
        Assert.That(JsonDiff.Differences(oursFull, full, garbledTags.Contains), Is.Empty, "tags");
    }
}
