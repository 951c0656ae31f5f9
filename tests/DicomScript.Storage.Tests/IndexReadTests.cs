using Dapper;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Storage.Files;
using DicomScript.Storage.Identifiers;
using DicomScript.Storage.Index;
using Microsoft.Data.Sqlite;
using NUnit.Framework;

namespace DicomScript.Storage.Tests;

/// <summary>
/// How searches read the index: the main tags of many resources read tag by tag from the
/// (tag, value) index give what the resources' own rows give; the upgrades to versions 6 and 7
/// keep every main tag, metadata, identifier and attachment; the direct row readers report SQL errors.
/// </summary>
[TestFixture]
public class IndexReadTests
{
    // More than the 256 holders from which a tag's whole stretch of the index may be read.
    private const int Studies = 300;

    private DirectoryInfo _folder = null!;
    private SqliteIndex _index = null!;

    [OneTimeSetUp]
    public void StoreStudies()
    {
        _folder = Directory.CreateTempSubdirectory("index-read-");
        _index = SqliteIndex.Open(_folder.FullName);
        for (var i = 0; i < Studies; i++)
            _index.Store(InstanceToIndex.Create(Instance(i), new StoredFile($"uuid-{i}", 1, 1, "", false), new Dictionary<int, string>()), overwrite: false);
    }

    [OneTimeTearDown]
    public void Close()
    {
        _index.Dispose();
        SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }

    // Two studies per patient; every other study without a StudyDate (a resource the tag's rows miss).
    private static DicomDataset Instance(int i)
    {
        var dataset = new DicomDataset()
            .AddString(DicomTags.PatientID, DicomVR.LO, $"P{i / 2:000}")
            .AddString(DicomTags.PatientName, DicomVR.PN, $"READ^PATIENT{i / 2:000}")
            .AddString(DicomTags.StudyInstanceUID, DicomVR.UI, $"1.2.3.{i}")
            .AddString(DicomTags.AccessionNumber, DicomVR.SH, $"A{i}")
            .AddString(DicomTags.SeriesInstanceUID, DicomVR.UI, $"1.2.3.{i}.1")
            .AddString(DicomTags.Modality, DicomVR.CS, "MR")
            .AddString(DicomTags.SOPInstanceUID, DicomVR.UI, $"1.2.3.{i}.1.1")
            .AddString(DicomTags.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.4");
        if (i % 2 == 0)
            dataset.AddString(DicomTags.StudyDate, DicomVR.DA, $"2020{1 + (i % 12):00}01");
        return dataset;
    }

    private static readonly DicomTag[] Asked = [DicomTags.PatientName, DicomTags.StudyDate, DicomTags.StudyInstanceUID, DicomTags.Modality];

    // What the index says of each resource, one by one, limited to some tags.
    private Dictionary<DicomTag, string> Expected(IndexedResource resource, IReadOnlyCollection<DicomTag>? tags) =>
        _index.Get(resource.PublicId)!.MainTags.Where(t => tags is null || tags.Contains(t.Key)).ToDictionary();

    [Test]
    public void ResourcesAt_ManyStudies_TagsReadByTagAreEachResourcesOwn()
    {
        var scope = _index.ResourcesAt(ResourceLevel.Study, new ScopeReach(ResourceLevel.Study, Asked));
        Assert.That(scope.Count(r => r.Level == ResourceLevel.Study), Is.EqualTo(Studies));
        Assert.That(scope.Count(r => r.Level == ResourceLevel.Patient), Is.EqualTo(Studies / 2), "the studies' patients come along");
        Assert.That(scope.Where(r => r.Level == ResourceLevel.Study).Count(r => r.MainTags.ContainsKey(DicomTags.StudyDate)), Is.EqualTo(Studies / 2));
        foreach (var resource in scope)
            Assert.That(resource.MainTags, Is.EquivalentTo(Expected(resource, Asked)), $"{resource.Level} {resource.PublicId}");
    }

    [Test]
    public void ResourcesFrom_FewOfMany_TagsReadResourceByResourceAreTheSame()
    {
        var few = _index.ResourcesAt(ResourceLevel.Study, new ScopeReach(ResourceLevel.Study, [])).Where(r => r.Level == ResourceLevel.Study).Take(5).ToList();
        var scope = _index.ResourcesFrom(ResourceLevel.Study, [.. few.Select(r => r.InternalId)], new ScopeReach(ResourceLevel.Series, Asked));
        Assert.That(scope.Count(r => r.Level == ResourceLevel.Study), Is.EqualTo(5));
        Assert.That(scope.Count(r => r.Level == ResourceLevel.Series), Is.EqualTo(5), "the series below, as far as the reach says");
        foreach (var resource in scope)
            Assert.That(resource.MainTags, Is.EquivalentTo(Expected(resource, Asked)), $"{resource.Level} {resource.PublicId}");
    }

    [Test]
    public void ResourcesAt_AllTags_EveryMainTagOfEveryLevel()
    {
        var scope = _index.ResourcesAt(ResourceLevel.Series, new ScopeReach(ResourceLevel.Instance));
        Assert.That(scope, Has.Count.EqualTo(Studies / 2 + Studies * 3), "patients, studies, series, instances");
        foreach (var resource in scope.Where((_, i) => i % 7 == 0))
            Assert.That(resource.MainTags, Is.EquivalentTo(Expected(resource, null)), $"{resource.Level} {resource.PublicId}");
        Assert.That(scope.First(r => r.Level == ResourceLevel.Instance).MainTags[DicomTags.SOPInstanceUID], Does.StartWith("1.2.3."));
    }

    [Test]
    public void TagValues_EachHolderOfTheLevelOnce()
    {
        var names = _index.TagValues(ResourceLevel.Study, DicomTags.PatientName);
        Assert.That(names, Has.Count.EqualTo(Studies), "the studies' copies, not the patients' rows");
        Assert.That(names.Select(n => n.Value).Distinct().Count(), Is.EqualTo(Studies / 2));
    }

    [Test]
    public void Open_Version6Index_MetadataIdentifiersAndAttachmentsKeptWithoutRowid()
    {
        var folder = Directory.CreateTempSubdirectory("index-v6-");
        try
        {
            using (var index = SqliteIndex.Open(folder.FullName))
            {
                for (var i = 0; i < 3; i++)
                {
                    var metadata = new Dictionary<int, string> { [(int)MetadataType.RemoteAET] = $"MODALITY{i}" };
                    index.Store(InstanceToIndex.Create(Instance(i), new StoredFile($"uuid-{i}", 1, 1, "", false), metadata), overwrite: false);
                }
            }

            using (var connection = new SqliteConnection($"Data Source={Path.Combine(folder.FullName, "index.sqlite")};Pooling=false"))
            {
                // What version 6 had: the three tables with rowids beside their primary keys.
                connection.Open();
                connection.Execute("""
                    CREATE TABLE M(id INTEGER REFERENCES Resources(internalId) ON DELETE CASCADE, type INTEGER, value TEXT, revision INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(id, type));
                    INSERT INTO M SELECT id, type, value, revision FROM Metadata;
                    DROP TABLE Metadata;
                    ALTER TABLE M RENAME TO Metadata;
                    CREATE TABLE D(id INTEGER REFERENCES Resources(internalId) ON DELETE CASCADE, tag INTEGER, value TEXT, folded TEXT, PRIMARY KEY(id, tag));
                    INSERT INTO D SELECT id, tag, value, folded FROM DicomIdentifiers;
                    DROP TABLE DicomIdentifiers;
                    ALTER TABLE D RENAME TO DicomIdentifiers;
                    CREATE INDEX DicomIdentifiersValues ON DicomIdentifiers(tag, value);
                    CREATE INDEX DicomIdentifiersFolded ON DicomIdentifiers(tag, folded);
                    CREATE TABLE A(id INTEGER REFERENCES Resources(internalId) ON DELETE CASCADE, fileType INTEGER, uuid TEXT NOT NULL, storedSize INTEGER,
                        uncompressedSize INTEGER, compressed INTEGER, uncompressedMd5 TEXT, PRIMARY KEY(id, fileType));
                    INSERT INTO A SELECT * FROM AttachedFiles;
                    DROP TABLE AttachedFiles;
                    ALTER TABLE A RENAME TO AttachedFiles;
                    CREATE INDEX AttachedFilesUuid ON AttachedFiles(uuid);
                    UPDATE GlobalProperties SET value = '6' WHERE property = 1;
                    """);
            }

            using (var upgraded = SqliteIndex.Open(folder.FullName))
            {
                var instance = upgraded.LookupIdentifier(ResourceLevel.Instance, DicomTags.SOPInstanceUID, "1.2.3.1.1.1").Single();
                Assert.That(upgraded.AllMetadata(instance, ResourceLevel.Instance)!.Single(m => m.Type == (int)MetadataType.RemoteAET).Value, Is.EqualTo("MODALITY1"));
                Assert.That(upgraded.GetDicomFile(instance)!.Uuid, Is.EqualTo("uuid-1"));
                Assert.That(upgraded.HasAttachment("uuid-2"), Is.True, "the attachments' uuid index");
                Assert.That(upgraded.Delete(instance)!.FileUuids, Is.EqualTo(new[] { "uuid-1" }));
                Assert.That(upgraded.HasAttachment("uuid-1"), Is.False, "the deletion still cascades to the attachments");
                Assert.That(upgraded.LookupIdentifier(ResourceLevel.Instance, DicomTags.SOPInstanceUID, "1.2.3.2.1.1"), Has.Count.EqualTo(1));
            }

            using var check = new SqliteConnection($"Data Source={Path.Combine(folder.FullName, "index.sqlite")};Pooling=false");
            check.Open();
            foreach (var table in new[] { "Metadata", "DicomIdentifiers", "AttachedFiles" })
                Assert.That(check.ExecuteScalar<string>("SELECT sql FROM sqlite_master WHERE name = @table", new { table }), Does.Contain("WITHOUT ROWID"), table);
            Assert.That(check.Query<string>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('DicomIdentifiers', 'AttachedFiles') AND sql IS NOT NULL"),
                Is.EquivalentTo(new[] { "DicomIdentifiersValues", "DicomIdentifiersFolded", "AttachedFilesUuid" }));
            Assert.That(check.ExecuteScalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE name LIKE '%Version6'"), Is.Zero);
            Assert.That(check.ExecuteScalar<string>("SELECT value FROM GlobalProperties WHERE property = 1"), Is.EqualTo("7"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    [Test]
    public void Open_Version5Index_MainTagsKeptInTheTableWithoutRowid()
    {
        var folder = Directory.CreateTempSubdirectory("index-v5-");
        try
        {
            using (var index = SqliteIndex.Open(folder.FullName))
            {
                for (var i = 0; i < 3; i++)
                    index.Store(InstanceToIndex.Create(Instance(i), new StoredFile($"uuid-{i}", 1, 1, "", false), new Dictionary<int, string>()), overwrite: false);
            }

            using (var connection = new SqliteConnection($"Data Source={Path.Combine(folder.FullName, "index.sqlite")};Pooling=false"))
            {
                // What version 5 had: a table with rowids, indexed by tag alone.
                connection.Open();
                connection.Execute("""
                    DROP INDEX MainDicomTagsByValue;
                    CREATE TABLE Old(id INTEGER REFERENCES Resources(internalId) ON DELETE CASCADE, tag INTEGER, value TEXT, PRIMARY KEY(id, tag));
                    INSERT INTO Old SELECT id, tag, value FROM MainDicomTags;
                    DROP TABLE MainDicomTags;
                    ALTER TABLE Old RENAME TO MainDicomTags;
                    CREATE INDEX MainDicomTagsByTag ON MainDicomTags(tag);
                    UPDATE GlobalProperties SET value = '5' WHERE property = 1;
                    """);
            }

            using (var upgraded = SqliteIndex.Open(folder.FullName))
            {
                var study = upgraded.LookupIdentifier(ResourceLevel.Study, DicomTags.StudyInstanceUID, "1.2.3.2").Single();
                Assert.That(upgraded.Get(study)!.MainTags[DicomTags.StudyDate], Is.EqualTo("20200301"));
                Assert.That(upgraded.TagValues(ResourceLevel.Study, DicomTags.AccessionNumber).Select(v => v.Value), Is.EquivalentTo(new[] { "A0", "A1", "A2" }));
            }

            using var check = new SqliteConnection($"Data Source={Path.Combine(folder.FullName, "index.sqlite")};Pooling=false");
            check.Open();
            Assert.That(check.ExecuteScalar<string>("SELECT sql FROM sqlite_master WHERE name = 'MainDicomTags'"), Does.Contain("WITHOUT ROWID"));
            Assert.That(check.ExecuteScalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE name IN ('MainDicomTagsByTag', 'MainDicomTagsVersion5')"), Is.Zero);
            Assert.That(check.ExecuteScalar<string>("SELECT value FROM GlobalProperties WHERE property = 1"), Is.EqualTo("7"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    [Test]
    public void RowReaders_BadStatementOrParameter_ClearErrorAndTheReaderStillWorks()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        connection.Execute("CREATE TABLE T(a INTEGER, b TEXT); INSERT INTO T VALUES (1, 'é'), (2, NULL);");
        using var readers = new RowReaders(connection);
        Assert.That(() => readers.Read("SELECT missing FROM T"), Throws.TypeOf<SqliteException>().With.Message.Contains("no such column: missing"));
        Assert.That(() => readers.Read("SELECT a FROM T WHERE a = @a", ("@b", 1L)), Throws.ArgumentException.With.Message.Contains("@b"));

        var read = new List<(long, bool, string)>();
        using (var rows = readers.Read("SELECT a, b FROM T WHERE a >= @a ORDER BY a", ("@a", 1L)))
        {
            while (rows.Read())
                read.Add((rows.Int64(0), rows.IsNull(1), rows.String(1)));
        }

        Assert.That(read, Is.EqualTo(new[] { (1L, false, "é"), (2L, true, "") }));
    }

    [Test]
    public void RowReaders_ExecuteAndScalar_BindEachTypeAndGiveValuesAsSqliteDataReaderDoes()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        connection.Execute("CREATE TABLE T(id INTEGER PRIMARY KEY, a, b UNIQUE)");
        using var readers = new RowReaders(connection);
        readers.Execute("INSERT INTO T(a, b) VALUES (@a, @b)", ("@a", 7), ("@b", "ü-text"));
        readers.Execute("INSERT INTO T(a, b) VALUES (@a, @b)", ("@a", null), ("@b", ""));
        readers.Execute("INSERT INTO T(a, b) VALUES (1.5, x'0102')");

        Assert.That(readers.Scalar("SELECT a FROM T WHERE b = @b", ("@b", "ü-text")), Is.EqualTo(7L));
        Assert.That(readers.Scalar("SELECT b FROM T WHERE id = @id", ("@id", 1L)), Is.EqualTo("ü-text"));
        Assert.That(readers.Scalar("SELECT b FROM T WHERE id = 2"), Is.EqualTo(""), "an empty text stays text");
        Assert.That(readers.Scalar("SELECT a FROM T WHERE id = 2"), Is.Null, "SQL NULL");
        Assert.That(readers.Scalar("SELECT a FROM T WHERE id = 99"), Is.Null, "no row");
        Assert.That((readers.Scalar("SELECT a FROM T WHERE id = 3"), readers.Scalar("SELECT b FROM T WHERE id = 3")), Is.EqualTo((1.5, new byte[] { 1, 2 })));
        Assert.That(readers.Scalar("INSERT INTO T(a, b) VALUES (1, 'new') RETURNING id"), Is.EqualTo(4L));
        Assert.That(() => readers.Execute("INSERT INTO T(a, b) VALUES (1, 'new')"),
            Throws.TypeOf<SqliteException>().With.Property(nameof(SqliteException.SqliteErrorCode)).EqualTo(19), "SQLITE_CONSTRAINT, as Microsoft.Data.Sqlite reports it");
        Assert.That(readers.Scalar("SELECT COUNT(*) FROM T"), Is.EqualTo(4L), "the statement failed alone and the reader goes on");
    }
}
