using System.Text.Json.Nodes;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Storage.Files;
using DicomScript.Storage.Identifiers;
using DicomScript.Storage.Index;
using DicomScript.Storage.Search;
using NUnit.Framework;

namespace DicomScript.Storage.Tests;

/// <summary>
/// The corpus stored both here and in the real Orthanc 1.10.1; every query of the table must find
/// the same resources as Orthanc's <c>/tools/find</c>, which applies the same constraint rules.
/// </summary>
[TestFixture]
public class ResourceFinderTests : OrthancOracleFixture
{
    private DirectoryInfo? _folder;
    private ResourceFinder? _finder;
    private OrthancServer? _orthanc;

    [OneTimeSetUp]
    public void StoreCorpusInBoth()
    {
        if (ExternalTools.Find("/usr/sbin/Orthanc") is null || !Directory.Exists(PydicomCorpus.TestFiles))
            return;
        _orthanc = RequireOrthanc();
        _folder = Directory.CreateTempSubdirectory("finder-");
        var storage = new StorageArea(Path.Combine(_folder.FullName, "files"), compress: false);
        using var index = SqliteIndex.Open(_folder.FullName);
        foreach (var file in DicomScript.Dicom.Tests.Corpus.CorpusReadTests.ValidFiles())
        {
            var bytes = File.ReadAllBytes(PydicomCorpus.FullPath(file));
            if (_orthanc.Upload(bytes).Id is null)
                continue;
            index.Store(InstanceToIndex.Create(DicomFile.Parse(bytes).Dataset, storage.Write(bytes), new Dictionary<int, string>()), overwrite: false);
        }

        var files = index.AllResources().Where(r => r.Level == ResourceLevel.Instance)
            .ToDictionary(r => r.PublicId, r => index.GetDicomFile(r.PublicId)!);
        _finder = new ResourceFinder(index.AllResources(), instanceId =>
        {
            var dataset = DicomFile.Parse(storage.Read(files[instanceId].Uuid)).Dataset;
            return tag => DicomScript.Dicom.Json.OrthancTagsConverter.ValueOf(dataset, tag);
        });
    }

    [OneTimeTearDown]
    public void RemoveIndex() => _folder?.Delete(recursive: true);

    public static IEnumerable<TestCaseData> Queries()
    {
        // (level, tag keyword, query string, case-sensitive)
        (string Level, string Keyword, string Query, bool CaseSensitive)[] table =
        [
            ("Patient", "PatientName", "*", false),
            ("Patient", "PatientName", "*^*", false),
            ("Patient", "PatientName", "c*", false),
            ("Patient", "PatientName", "c*", true),
            ("Patient", "PatientName", "?????", false),
            ("Patient", "PatientID", "*1*", false),
            ("Patient", "PatientSex", "F\\O", false),
            ("Patient", "PatientBirthDate", "19500101-", false),
            ("Study", "StudyDate", "20000101-", false),
            ("Study", "StudyDate", "-19990101", false),
            ("Study", "StudyDate", "19900101-20101231", false),
            ("Study", "StudyTime", "120000-", false),
            ("Study", "StudyDescription", "*", false),
            ("Study", "AccessionNumber", "*", false),
            // Not "*e*": Orthanc misdecodes chrH32.dcm's ISO 2022 name into ASCII with an "E" (a known deviation).
            ("Study", "PatientName", "*a*", false),
            ("Study", "PatientName", "*^*", false),
            ("Study", "Modality", "MR", false),
            ("Study", "Modality", "CT\\MR", false),
            ("Study", "Modality", "ct", false),
            ("Study", "Modality", "ct", true),
            ("Study", "SOPClassUID", "1.2.840.10008.5.1.4.1.1.2", false),
            ("Series", "Modality", "C*", false),
            ("Series", "SeriesNumber", "1", false),
            ("Series", "PatientSex", "M", false),
            ("Series", "StudyDate", "2000-", false),
            ("Series", "BodyPartExamined", "*", false),
            ("Instance", "InstanceNumber", "1", false),
            ("Instance", "Modality", "US", false),
            ("Instance", "PatientName", "*^*", true),
            ("Instance", "ImageOrientationPatient", "1\\0\\0\\0\\1\\0", false),
        ];
        foreach (var (level, keyword, query, caseSensitive) in table)
            yield return new TestCaseData(level, keyword, query, caseSensitive).SetName($"{level} {keyword}={query}{(caseSensitive ? " (case-sensitive)" : "")}");
    }

    [TestCaseSource(nameof(Queries))]
    public void Find_SameResourcesAsOrthanc(string level, string keyword, string query, bool caseSensitive)
    {
        var orthanc = RequireOrthanc();
        Assert.That(DicomDictionary.TryFindTag(keyword, out var tag), Is.True, keyword);
        var expected = orthanc.PostJson("tools/find", new JsonObject
        {
            ["Level"] = level,
            ["CaseSensitive"] = caseSensitive,
            ["Query"] = new JsonObject { [keyword] = query },
        }).AsArray().Select(n => n!.GetValue<string>());

        var lookup = new DicomLookup();
        lookup.AddRestConstraint(tag, query, caseSensitive);
        var found = _finder!.Find(Enum.Parse<ResourceLevel>(level), lookup);

        Assert.That(found, Is.EquivalentTo(expected));
    }

    [Test]
    public void Find_CombinedConstraintsAcrossLevels_SameAsOrthanc()
    {
        var orthanc = RequireOrthanc();
        var expected = orthanc.PostJson("tools/find", new JsonObject
        {
            ["Level"] = "Series",
            ["Query"] = new JsonObject { ["PatientName"] = "*", ["Modality"] = "MR", ["StudyDate"] = "19000101-" },
        }).AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.That(expected, Is.Not.Empty, "the query should find something in the corpus");

        var lookup = new DicomLookup();
        lookup.AddRestConstraint(DicomTags.PatientName, "*", caseSensitive: false);
        lookup.AddRestConstraint(DicomTags.Modality, "MR", caseSensitive: false);
        lookup.AddRestConstraint(DicomTags.StudyDate, "19000101-", caseSensitive: false);
        Assert.That(_finder!.Find(ResourceLevel.Series, lookup), Is.EquivalentTo(expected));
    }

    [Test]
    public void Find_LowerLevelMainTag_MatchesNothingAsInOrthanc()
    {
        var orthanc = RequireOrthanc();
        Assert.That(orthanc.PostJson("tools/find", new JsonObject { ["Level"] = "Study", ["Query"] = new JsonObject { ["Modality"] = "*" } }).AsArray(), Is.Empty);
        var lookup = new DicomLookup();
        lookup.AddRestConstraint(DicomTags.Modality, "*", caseSensitive: false);
        Assert.That(_finder!.Find(ResourceLevel.Study, lookup), Is.Empty);
        Assert.That(_finder.Find(ResourceLevel.Series, lookup), Is.Not.Empty, "the same constraint at its own level finds series");
    }

    [Test]
    public void WildcardOnNumber_RefusedAsByOrthanc()
    {
        var orthanc = RequireOrthanc();
        Assert.That(() => orthanc.PostJson("tools/find", new JsonObject { ["Level"] = "Instance", ["Query"] = new JsonObject { ["InstanceNumber"] = "1*" } }),
            Throws.InvalidOperationException.With.Message.Contains("400"));
        Assert.That(() => new DicomLookup().AddRestConstraint(DicomTags.InstanceNumber, "1*", caseSensitive: false),
            Throws.ArgumentException.With.Message.Contains("Wildcards are not allowed"));
    }

    [Test]
    public void Find_NoConstraint_EveryResourceOfTheLevel()
    {
        var orthanc = RequireOrthanc();
        Assert.That(_finder!.Find(ResourceLevel.Series, new DicomLookup()),
            Is.EquivalentTo(orthanc.GetJson("series").AsArray().Select(n => n!.GetValue<string>())));
    }
}
