using System.Text.Json.Nodes;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Json;
using DicomScript.Dicom.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Dicom.Tests.Json;

/// <summary>Our DICOM JSON model (PS3.18 Annex F) against pydicom's <c>to_json_dict</c> for every corpus file.</summary>
[TestFixture]
public class DicomJsonModelTests
{
    public static IEnumerable<string> Files() => Corpus.CorpusReadTests.ValidFiles();

    [TestCaseSource(nameof(Files))]
    public void DicomJson_CorpusFile_SameAsPydicom(string file)
    {
        PydicomCorpus.Require();
        var path = PydicomCorpus.FullPath(file);
        var (exit, output, error) = ExternalTools.Run("/usr/bin/python3", [Path.Combine(AppContext.BaseDirectory, "Support", "pydicom_json.py"), path]);
        if (exit != 0)
            Assert.Ignore($"pydicom cannot write this file as JSON: {error.Trim().Split('\n')[^1]}");

        var dicomFile = DicomFile.Open(path);
        var theirs = JsonNode.Parse(output);
        var ours = JsonNode.Parse(DicomJsonModelWriter.ToJson(dicomFile.Dataset));
        Normalize(theirs);
        Normalize(ours);
        // pydicom's own private dictionary gives VRs to private tags that dcmtk's (ours) does not know.
        var privateUnknown = ours!.AsObject()
            .Where(p => p.Value?["vr"]?.GetValue<string>() == "UN" && (Convert.ToInt32(p.Key[..4], 16) & 1) == 1)
            .Select(p => "/" + p.Key).ToHashSet();
        var skip = new Func<string, bool>(p => privateUnknown.Contains(p) ||
            // Group lengths: pydicom writes them, we leave them out (F.2.2 allows either).
            p.Length >= 9 && p.EndsWith("0000", StringComparison.Ordinal) && p[^9] == '/'
            // Encapsulated pixel data is OB whatever the file said (PS3.5 §A.4).
            || dicomFile.TransferSyntax.IsEncapsulated && p == "/7FE00010/vr"
            // pydicom writes bulk data in the file's byte order; JSON carries little-endian values.
            || dicomFile.TransferSyntax.IsBigEndian && p.EndsWith("/InlineBinary", StringComparison.Ordinal));
        Assert.That(JsonDiff.Differences(ours, theirs, skip), Is.Empty);
    }

    // Differences of spelling that carry the same meaning: an empty sequence with or without an empty
    // Value array, an empty text value as "" or null, insignificant spaces around text values.
    private static void Normalize(JsonNode? node)
    {
        if (node is JsonObject o)
        {
            if (o["vr"]?.GetValue<string>() == "SQ" && o["Value"] is JsonArray { Count: 0 })
                o.Remove("Value");
            foreach (var (_, child) in o.ToList())
                Normalize(child);
        }
        else if (node is JsonArray a)
        {
            for (var i = 0; i < a.Count; i++)
            {
                if (a[i] is JsonValue v && v.TryGetValue<string>(out var s))
                    a[i] = s.Trim().Length == 0 ? null : s.Trim();
                else
                    Normalize(a[i]);
            }
        }
    }

    [Test]
    public void DicomJson_PersonNameGroups_Objects()
    {
        var dataset = new DicomDataset()
            .AddString(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192")
            .AddString(DicomTags.PatientName, DicomVR.PN, "Wang^XiaoDong=王^小東");
        var json = JsonNode.Parse(DicomJsonModelWriter.ToJson(dataset))!;
        var name = json["00100010"]!["Value"]![0]!;
        Assert.That(name["Alphabetic"]!.GetValue<string>(), Is.EqualTo("Wang^XiaoDong"));
        Assert.That(name["Ideographic"]!.GetValue<string>(), Is.EqualTo("王^小東"));
        Assert.That(name["Phonetic"], Is.Null);
    }

    [Test]
    public void DicomJson_NumbersAndEmptyValue()
    {
        var dataset = new DicomDataset()
            .AddString(DicomTags.PixelSpacing, DicomVR.DS, "0.5\\1e2")
            .AddString(DicomTags.InstanceNumber, DicomVR.IS, " 7")
            .AddString(DicomTags.AccessionNumber, DicomVR.SH, "")
            .AddUInt16(DicomTags.Rows, 512);
        var json = JsonNode.Parse(DicomJsonModelWriter.ToJson(dataset))!;
        Assert.That(json["00280030"]!["Value"]!.ToJsonString(), Is.EqualTo("[0.5,100]"));
        Assert.That(json["00200013"]!["Value"]!.ToJsonString(), Is.EqualTo("[7]"));
        Assert.That(json["00080050"]!.ToJsonString(), Is.EqualTo("{\"vr\":\"SH\"}"));
        Assert.That(json["00280010"]!["Value"]!.ToJsonString(), Is.EqualTo("[512]"));
    }
}
