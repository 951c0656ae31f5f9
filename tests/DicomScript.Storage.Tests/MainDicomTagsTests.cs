using DicomScript.Dicom.IO;
using DicomScript.Dicom.Json;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Storage.Identifiers;
using DicomScript.Storage.Index;
using NUnit.Framework;

namespace DicomScript.Storage.Tests;

/// <summary>For each corpus file, the main DICOM tags of each level equal what the real Orthanc 1.10.1 shows.</summary>
[TestFixture]
public class MainDicomTagsTests : OrthancOracleFixture
{
    public static IEnumerable<string> Files() => DicomScript.Dicom.Tests.Corpus.CorpusReadTests.ValidFiles();

    [TestCaseSource(nameof(Files))]
    public void MainTags_EveryLevel_SameAsOrthanc(string file)
    {
        var orthanc = RequireOrthanc();
        var bytes = File.ReadAllBytes(PydicomCorpus.FullPath(file));
        var (id, answer) = orthanc.Upload(bytes);
        if (id is null)
            Assert.Ignore($"Orthanc stores no instance for this file: {answer}");

        var dataset = DicomFile.Parse(bytes).Dataset;
        var ids = OrthancIdentifiers.FromDataset(dataset);
        try
        {
            foreach (var (level, route) in new[] { (ResourceLevel.Patient, "patients"), (ResourceLevel.Study, "studies"), (ResourceLevel.Series, "series"), (ResourceLevel.Instance, "instances") })
            {
                var mainTags = orthanc.GetJson($"{route}/{ids.HashOf(level)}")["MainDicomTags"]!;
                OrthancDeviations.NormalizeShiftJis(dataset, mainTags);
                var garbled = OrthancDeviations.GarbledText(file);
                var theirs = mainTags.AsObject().Where(p => !garbled.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value?.GetValue<string>());
                var ours = MainDicomTags.Extract(dataset, level).ToDictionary(p => OrthancTagsConverter.Name(p.Key, dataset), p => (string?)p.Value);

                // Orthanc 1.10.1 leaves out main tags longer than 256 bytes (1.11 keeps them, as we do).
                var longerThanOrthancKeeps = ours.Where(p => System.Text.Encoding.UTF8.GetByteCount(p.Value!) > OrthancTagsConverter.MaximumTagLength).Select(p => p.Key).ToList();
                Assert.That(ours.Where(p => !longerThanOrthancKeeps.Contains(p.Key) && !garbled.Contains(p.Key)), Is.EquivalentTo(theirs), $"{level} main tags");
            }
        }
        finally
        {
            orthanc.Delete($"patients/{ids.PatientHash}");
        }
    }
}
