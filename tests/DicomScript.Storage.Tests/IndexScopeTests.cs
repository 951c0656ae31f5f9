using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Json;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Storage.Files;
using DicomScript.Storage.Identifiers;
using DicomScript.Storage.Index;
using DicomScript.Storage.Search;
using NUnit.Framework;

namespace DicomScript.Storage.Tests;

/// <summary>
/// A search read through the identifier index (IndexScope) finds exactly what the same search over
/// the whole index finds, for every identifier and level, on the pydicom corpus.
/// </summary>
[TestFixture]
public class IndexScopeTests
{
    private static readonly DicomTag[] IdentifierTags =
        [DicomTags.PatientID, DicomTags.StudyInstanceUID, DicomTags.AccessionNumber, DicomTags.SeriesInstanceUID, DicomTags.SOPInstanceUID];

    private DirectoryInfo _folder = null!;
    private SqliteIndex _index = null!;
    private StorageArea _storage = null!;

    [OneTimeSetUp]
    public void StoreCorpus()
    {
        PydicomCorpus.Require();
        _folder = Directory.CreateTempSubdirectory("scope-");
        _storage = new StorageArea(Path.Combine(_folder.FullName, "files"), compress: false);
        _index = SqliteIndex.Open(_folder.FullName);
        foreach (var file in DicomScript.Dicom.Tests.Corpus.CorpusReadTests.ValidFiles())
        {
            var bytes = File.ReadAllBytes(PydicomCorpus.FullPath(file));
            try
            {
                _index.Store(InstanceToIndex.Create(DicomFile.Parse(bytes).Dataset, _storage.Write(bytes), new Dictionary<int, string>()), overwrite: false);
            }
            catch (MissingIdentifierException)
            {
                // files Orthanc cannot file either
            }
        }
    }

    [OneTimeTearDown]
    public void Close()
    {
        _index.Dispose();
        _folder.Delete(recursive: true);
    }

    private Func<DicomTag, string?> ReadInstance(string instanceId)
    {
        var dataset = DicomFile.Parse(_storage.Read(_index.GetDicomFile(instanceId)!.Uuid)).Dataset;
        return tag => OrthancTagsConverter.ValueOf(dataset, tag);
    }

    public static IEnumerable<TestCaseData> Cases() =>
        from level in Enum.GetValues<ResourceLevel>()
        from tag in IdentifierTags
        from extra in new[] { "", "PatientName", "ImageType" } // none, a main tag, a tag only the files have
        select new TestCaseData(level, tag, extra).SetName($"{level} by {DicomDictionary.Find(tag)!.Keyword}{(extra == "" ? "" : " + " + extra)}");

    // Constraints that pin no identifier: the candidates are narrowed tag by tag on the level's rows.
    [TestCase(ResourceLevel.Patient, "PatientName", "*^*")]
    [TestCase(ResourceLevel.Patient, "PatientSex", "O")]
    [TestCase(ResourceLevel.Study, "StudyDate", "20000101-")]
    [TestCase(ResourceLevel.Study, "PatientName", "c*")]
    [TestCase(ResourceLevel.Study, "StudyDescription", "*")]
    [TestCase(ResourceLevel.Study, "Modality", "MR")]
    [TestCase(ResourceLevel.Series, "Modality", "MR\\CT")]
    [TestCase(ResourceLevel.Series, "StudyDate", "-20100101")]
    [TestCase(ResourceLevel.Series, "PatientName", "*")]
    [TestCase(ResourceLevel.Instance, "InstanceNumber", "1")]
    [TestCase(ResourceLevel.Instance, "ImageOrientationPatient", "1\\0\\0\\0\\1\\0")]
    [TestCase(ResourceLevel.Instance, "", "")]
    [TestCase(ResourceLevel.Study, "", "")]
    public void Scope_ConstraintsOnMainTags_SameMatchesWithOrWithoutDescendantsAndTags(ResourceLevel level, string keyword, string query)
    {
        var lookup = new DicomLookup();
        if (keyword.Length > 0)
        {
            Assert.That(DicomDictionary.TryFindTag(keyword, out var tag), Is.True);
            lookup.AddDicomConstraint(tag, query, caseSensitivePN: false);
        }

        var expected = new ResourceFinder(_index.AllResources(), ReadInstance).Find(level, lookup);
        foreach (var (withDescendants, allTags) in new[] { (false, true), (true, true), (false, false) })
        {
            var scope = IndexScope.For(_index, level, lookup, withDescendants, allTags);
            Assert.That(new ResourceFinder(scope, ReadInstance).Find(level, lookup), Is.EqualTo(expected), $"withDescendants: {withDescendants}, allTags: {allTags}");
            if (!withDescendants)
                Assert.That(scope.Count(r => r.Level > level), Is.Zero, "nothing below the level is read");
            if (!allTags)
                Assert.That(scope.SelectMany(r => r.MainTags.Keys).Distinct(), Is.SubsetOf(lookup.Constraints.Select(c => c.Tag)), "only the constrained tags are read");
        }

        if (IndexScope.ExactMatches(_index, level, lookup) is { } exact)
            Assert.That(exact.Select(r => r.PublicId), Is.EquivalentTo(expected), "decided by the index rows alone");
    }

    // Constraints the index rows decide alone: the matches come without a finder, and are the same.
    [TestCase(ResourceLevel.Patient, "PatientName", "*^*", true)]
    [TestCase(ResourceLevel.Study, "StudyDate", "20000101-", true)]
    [TestCase(ResourceLevel.Series, "StudyDate", "-20100101", true)]
    [TestCase(ResourceLevel.Instance, "Modality", "MR\\CT", true)]
    [TestCase(ResourceLevel.Study, "Modality", "MR", false)]
    [TestCase(ResourceLevel.Instance, "ImageOrientationPatient", "1\\0\\0\\0\\1\\0", false)]
    [TestCase(ResourceLevel.Study, "StudyInstanceUID", "1.2.3", false)]
    public void ExactMatches_WhenTheRowsDecide_SameAsTheFinder(ResourceLevel level, string keyword, string query, bool decided)
    {
        Assert.That(DicomDictionary.TryFindTag(keyword, out var tag), Is.True);
        var lookup = new DicomLookup();
        lookup.AddDicomConstraint(tag, query, caseSensitivePN: false);
        var exact = IndexScope.ExactMatches(_index, level, lookup);
        Assert.That(exact is not null, Is.EqualTo(decided));
        if (exact is not null)
        {
            var expected = new ResourceFinder(_index.AllResources(), ReadInstance).Find(level, lookup);
            Assert.That(exact.Select(r => r.PublicId), Is.EquivalentTo(expected));
            Assert.That(expected, Is.Not.Empty, "a case that finds something");
        }
    }

    // Stored values, two of them as a list, and one nobody has; each matched as C-FIND does (identifiers with case).
    [TestCaseSource(nameof(Cases))]
    public void Scope_SameMatchesAsTheWholeIndex(ResourceLevel level, DicomTag tag, string extra) =>
        AssertSameMatchesAsTheWholeIndex(level, tag, extra, stored => stored.Take(6).Append(string.Join('\\', stored.Skip(1).Take(2))),
            (lookup, constrained, query) => lookup.AddDicomConstraint(constrained, query, caseSensitivePN: false));

    // /tools/find compares without case by default: identifiers are then read through their
    // upper-cased copies (lower- and upper-cased queries, so that some differ from what is stored).
    [TestCaseSource(nameof(Cases))]
    public void Scope_WithoutCase_SameMatchesAsTheWholeIndex(ResourceLevel level, DicomTag tag, string extra) =>
        AssertSameMatchesAsTheWholeIndex(level, tag, extra, stored => stored.Take(4).SelectMany(v => new[] { v.ToLowerInvariant(), v.ToUpperInvariant() }),
            (lookup, constrained, query) => lookup.AddRestConstraint(constrained, query, caseSensitive: false));

    private void AssertSameMatchesAsTheWholeIndex(ResourceLevel level, DicomTag tag, string extra, Func<List<string>, IEnumerable<string>> queriesFrom,
        Action<DicomLookup, DicomTag, string> constrain)
    {
        var whole = new ResourceFinder(_index.AllResources(), ReadInstance);
        var identifierLevel = SqliteIndex.IdentifierLevel(tag)!.Value;
        var stored = _index.AllResources().Where(r => r.Level == identifierLevel)
            .Select(r => r.MainTags.GetValueOrDefault(tag)).OfType<string>().Where(v => v.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.That(stored, Is.Not.Empty);

        var narrowed = 0;
        foreach (var query in queriesFrom(stored).Append("no-such-value"))
        {
            var lookup = new DicomLookup();
            constrain(lookup, tag, query);
            if (extra == "PatientName")
                constrain(lookup, DicomTags.PatientName, "*");
            else if (extra == "ImageType")
                constrain(lookup, DicomTags.ImageType, "*");
            var scope = IndexScope.For(_index, level, lookup);
            if (scope.Count < _index.AllResources().Count)
                narrowed++;
            Assert.That(new ResourceFinder(scope, ReadInstance).Find(level, lookup), Is.EqualTo(whole.Find(level, lookup)), $"{tag} = {query}");
        }

        // An identifier of the query level or above always narrows what is read.
        if (identifierLevel <= level)
            Assert.That(narrowed, Is.GreaterThan(0));
    }

    [TestCase(ResourceLevel.Patient, "PatientName", ResourceLevel.Patient)]
    [TestCase(ResourceLevel.Study, "PatientName", ResourceLevel.Study)]
    [TestCase(ResourceLevel.Instance, "PatientName", ResourceLevel.Study)]
    [TestCase(ResourceLevel.Series, "StudyDate", ResourceLevel.Study)]
    [TestCase(ResourceLevel.Instance, "Modality", ResourceLevel.Series)]
    [TestCase(ResourceLevel.Study, "Modality", null)]
    [TestCase(ResourceLevel.Instance, "ImageOrientationPatient", null)]
    [TestCase(ResourceLevel.Series, "ImageType", null)]
    public void RowsSupplying_TheOneLevelWhoseRowsHoldTheComparedValue(ResourceLevel level, string keyword, ResourceLevel? expected)
    {
        Assert.That(DicomDictionary.TryFindTag(keyword, out var tag), Is.True);
        Assert.That(IndexScope.RowsSupplying(level, tag), Is.EqualTo(expected));
    }

    [TestCase(ResourceLevel.Series, "StudyDate", "19000101-")]
    [TestCase(ResourceLevel.Instance, "Modality", "MR")]
    [TestCase(ResourceLevel.Instance, "PatientName", "*")]
    public void Scope_ConstraintOnAnAncestorsTag_NarrowsAndFindsTheSame(ResourceLevel level, string keyword, string query)
    {
        Assert.That(DicomDictionary.TryFindTag(keyword, out var tag), Is.True);
        var lookup = new DicomLookup();
        lookup.AddDicomConstraint(tag, query, caseSensitivePN: false);
        var expected = new ResourceFinder(_index.AllResources(), ReadInstance).Find(level, lookup);
        var scope = IndexScope.For(_index, level, lookup, withDescendants: false);
        Assert.That(new ResourceFinder(scope, ReadInstance).Find(level, lookup), Is.EqualTo(expected));
        Assert.That(scope.Count(r => r.Level == level), Is.LessThan(_index.AllResources().Count(r => r.Level == level)), "fewer candidates than the level holds");
    }
}
