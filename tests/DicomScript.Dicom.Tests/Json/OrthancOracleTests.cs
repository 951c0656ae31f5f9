using System.Text.Json.Nodes;
using DicomScript.Dicom.Data;
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
[NonParallelizable]
public class OrthancOracleTests
{
    /// <summary>Elements whose text Orthanc 1.10.1 decodes wrongly, by file, with the reason.</summary>
    private static readonly Dictionary<string, (string[] Names, string Why)> TextOrthancGarbles = new()
    {
        ["charset_files/chrH32.dcm"] = (["PatientName"],
            "ISO 2022 IR 13\\ISO 2022 IR 87: Orthanc decodes the whole value as Shift-JIS, leaving the JIS X 0208 runs as ASCII"),
        ["charset_files/chrJapMultiExplicitIR6.dcm"] = (["PatientName", "OtherPatientNames", "AdditionalPatientHistory"],
            "ISO 2022 IR 6\\ISO 2022 IR 87: Orthanc uses only the first term (ASCII) and keeps the escape bytes as text"),
    };

    private OrthancServer? _orthanc;

    [OneTimeSetUp]
    public void StartOrthanc()
    {
        if (ExternalTools.Find("/usr/sbin/Orthanc") is not null && Directory.Exists(PydicomCorpus.TestFiles))
            _orthanc = OrthancServer.Start();
    }

    [OneTimeTearDown]
    public void StopOrthanc() => _orthanc?.Dispose();

    public static IEnumerable<string> Files() => Corpus.CorpusReadTests.ValidFiles();

    [TestCaseSource(nameof(Files))]
    public void SimplifiedAndFullTags_CorpusFile_SameAsOrthanc(string file)
    {
        PydicomCorpus.Require();
        ExternalTools.Require("/usr/sbin/Orthanc", "orthanc");
        var bytes = File.ReadAllBytes(PydicomCorpus.FullPath(file));
        var (id, answer) = _orthanc!.Upload(bytes);
        if (id is null)
        {
            Assert.Ignore($"Orthanc stores no instance for this file, so there is nothing to compare: {answer}");
            return;
        }

        JsonNode simplified, full;
        try
        {
            simplified = _orthanc.GetJson($"instances/{id}/simplified-tags");
            full = _orthanc.GetJson($"instances/{id}/tags");
        }
        finally
        {
            _orthanc.Delete($"instances/{id}"); // files sharing an instance ID are compared one at a time
        }

        var dataset = DicomFile.Parse(bytes).Dataset;
        var garbled = TextOrthancGarbles.TryGetValue(file, out var known) ? known.Names : [];
        NormalizeShiftJis(dataset, simplified);
        NormalizeShiftJis(dataset, full);

        var ours = JsonNode.Parse(OrthancJsonWriter.ToJson(dataset, OrthancTagFormat.Simplified));
        var simplifiedDifferences = JsonDiff.Differences(ours, simplified, path => garbled.Any(n => path == "/" + n));
        Assert.That(simplifiedDifferences, Is.Empty, "simplified-tags");

        var garbledTags = full.AsObject().Where(p => garbled.Contains(p.Value?["Name"]?.GetValue<string>())).Select(p => "/" + p.Key).ToHashSet();
        var oursFull = JsonNode.Parse(OrthancJsonWriter.ToJson(dataset, OrthancTagFormat.Full));
        Assert.That(JsonDiff.Differences(oursFull, full, garbledTags.Contains), Is.Empty, "tags");
    }

    // With Specific Character Set ISO_IR 13 (JIS X 0201), Orthanc's iconv turns every backslash into
    // "¥" and "~" into "‾", even the separators of multi-valued CS and DS. The bytes are the ASCII
    // ones; we keep them as "\" and "~". Undo Orthanc's substitution before comparing.
    private static void NormalizeShiftJis(DicomDataset dataset, JsonNode node)
    {
        var characterSet = dataset.CharacterSet.DefinedTerms;
        if (characterSet.Count == 0 || !characterSet[0].EndsWith("IR 13", StringComparison.Ordinal))
            return;
        Replace(node);

        static void Replace(JsonNode? n)
        {
            switch (n)
            {
                case JsonObject o:
                    foreach (var key in o.Select(p => p.Key).ToList())
                    {
                        if (o[key] is JsonValue v && v.TryGetValue<string>(out var s))
                            o[key] = s.Replace('¥', '\\').Replace('‾', '~');
                        else
                            Replace(o[key]);
                    }

                    break;
                case JsonArray a:
                    foreach (var item in a)
                        Replace(item);
                    break;
            }
        }
    }
}
