using DicomScript.Dicom.Dictionary;
using DicomScript.Storage.Search;
using Microsoft.Data.Sqlite;
using NUnit.Framework;

namespace DicomScript.Storage.Tests;

/// <summary>
/// The SQL prefilter of a search's stored values lets through every value the constraints accept
/// (SQLite and .NET fold case and order characters differently outside ASCII), and on ASCII
/// values it decides exactly as the constraints do, so it narrows.
/// </summary>
[TestFixture]
public class ValuePrefilterTests
{
    private static readonly string[] Values =
    [
        "BENCH^PATIENT0001", "bench^patient0001x", "BENCH^PATIENT0002", "ivan", "IVAN", "\u0131van", "\u017Fmith", "SMITH",
        "é", "É", "E", "A\U0001D11E", "AB", "ABC", "A%B", "AxB", "A_B", "A\\B", "[X]", "X", "20200101", "20200630", "20201231",
        "2020", "", "\uE000", "\U0001F600", "z",
    ];

    private SqliteConnection _connection = null!;

    [OneTimeSetUp]
    public void FillTable()
    {
        _connection = new SqliteConnection("Data Source=:memory:");
        _connection.Open();
        Execute("CREATE TABLE t(value TEXT)");
        foreach (var value in Values)
            Execute("INSERT INTO t(value) VALUES (@v)", ("@v", value));
    }

    [OneTimeTearDown]
    public void Close() => _connection.Dispose();

    // (kind, values separated by '|', case-sensitive)
    [TestCase(ConstraintKind.Equal, "IVAN", false)]
    [TestCase(ConstraintKind.Equal, "SMITH", false)]
    [TestCase(ConstraintKind.Equal, "É", false)]
    [TestCase(ConstraintKind.Equal, "A%B", false)]
    [TestCase(ConstraintKind.Equal, "A_B", true)]
    [TestCase(ConstraintKind.Equal, "A\\B", false)]
    [TestCase(ConstraintKind.Wildcard, "BENCH^PATIENT0001*", false)]
    [TestCase(ConstraintKind.Wildcard, "BENCH^PATIENT0001*", true)]
    [TestCase(ConstraintKind.Wildcard, "?VAN", false)]
    [TestCase(ConstraintKind.Wildcard, "A??", true)]
    [TestCase(ConstraintKind.Wildcard, "A?", false)]
    [TestCase(ConstraintKind.Wildcard, "[X]*", true)]
    [TestCase(ConstraintKind.Wildcard, "*%*", false)]
    [TestCase(ConstraintKind.Wildcard, "A_*", false)]
    [TestCase(ConstraintKind.GreaterOrEqual, "20200101", true)]
    [TestCase(ConstraintKind.SmallerOrEqual, "20200630", true)]
    [TestCase(ConstraintKind.SmallerOrEqual, "\uE000", true)]
    [TestCase(ConstraintKind.GreaterOrEqual, "\uE000", true)]
    [TestCase(ConstraintKind.GreaterOrEqual, "BENCH", false)]
    [TestCase(ConstraintKind.SmallerOrEqual, "IVAN", false)]
    [TestCase(ConstraintKind.List, "A_B|é|X", true)]
    [TestCase(ConstraintKind.List, "IVAN|É", false)]
    public void Prefilter_PassesEveryMatch_AndDecidesAsciiValuesExactly(ConstraintKind kind, string values, bool caseSensitive)
    {
        var constraint = new TagConstraint(DicomTags.PatientName, kind, values.Split('|'), caseSensitive, mandatory: true);
        var matches = Values.Where(constraint.IsMatch).ToHashSet();

        var passed = Passing([constraint]);

        Assert.That(passed, Is.SupersetOf(matches), "a value the constraint accepts was dropped");
        Assert.That(passed.Where(v => System.Text.Ascii.IsValid(v)), Is.EquivalentTo(matches.Where(v => System.Text.Ascii.IsValid(v))),
            "on ASCII values the prefilter must decide as the constraint does");
    }

    [Test]
    public void Prefilter_OfARange_NarrowsByBothBounds()
    {
        TagConstraint[] range =
        [
            new(DicomTags.StudyDate, ConstraintKind.GreaterOrEqual, ["20200101"], true, true),
            new(DicomTags.StudyDate, ConstraintKind.SmallerOrEqual, ["20200630"], true, true),
        ];

        Assert.That(Passing(range), Is.EquivalentTo(new[] { "20200101", "20200630" }));
    }

    [Test]
    public void Prefilter_OfAPatternTooLongForSQLite_LeavesItToDotNet()
    {
        var huge = new TagConstraint(DicomTags.PatientName, ConstraintKind.Wildcard, ["A" + new string('?', 60_000) + "*"], false, true);
        var equal = new TagConstraint(DicomTags.PatientName, ConstraintKind.Equal, ["AB"], true, true);

        Assert.Multiple(() =>
        {
            Assert.That(Passing([huge]), Is.EquivalentTo(Values));
            Assert.That(Passing([huge, equal]), Is.EquivalentTo(new[] { "AB" }));
        });
    }

    [Test]
    public void Prefilter_OfAnOptionalConstraint_IsRefused() =>
        Assert.Throws<ArgumentException>(() => ValuePrefilter.For([new TagConstraint(DicomTags.PatientName, ConstraintKind.Equal, ["X"], true, mandatory: false)]));

    private HashSet<string> Passing(IReadOnlyList<TagConstraint> constraints)
    {
        var (sql, parameters) = ValuePrefilter.For(constraints);
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT value FROM t WHERE {sql}";
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        using var reader = command.ExecuteReader();
        var passed = new HashSet<string>();
        while (reader.Read())
            passed.Add(reader.GetString(0));
        return passed;
    }

    private void Execute(string sql, params (string Name, object Value)[] parameters)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        command.ExecuteNonQuery();
    }
}
