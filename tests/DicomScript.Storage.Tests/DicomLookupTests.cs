using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Storage.Search;
using NUnit.Framework;

namespace DicomScript.Storage.Tests;

/// <summary>How DICOM query strings become constraints and what they match (PS3.4 C.2.2.2, as Orthanc applies it).</summary>
[TestFixture]
public class DicomLookupTests
{
    private static bool Matches(DicomTag tag, string query, string? stored, bool caseSensitivePN = false)
    {
        var lookup = new DicomLookup();
        lookup.AddDicomConstraint(tag, query, caseSensitivePN);
        return lookup.IsMatch(t => t == tag ? stored : null);
    }

    [TestCase("20200115", "20200101-20200131", true)]
    [TestCase("20200201", "20200101-20200131", false)]
    [TestCase("20200101", "20200101-20200131", true)]
    [TestCase("20200131", "20200101-20200131", true)]
    [TestCase("19991231", "20200101-", false)]
    [TestCase("20991231", "20200101-", true)]
    [TestCase("19991231", "-20200101", true)]
    [TestCase("20200102", "-20200101", false)]
    public void DateRange_InclusiveAndOpenEnded(string stored, string query, bool expected) =>
        Assert.That(Matches(DicomTags.StudyDate, query, stored), Is.EqualTo(expected));

    [Test]
    public void DateRange_BothEnds_TwoConstraints()
    {
        var lookup = new DicomLookup();
        lookup.AddDicomConstraint(DicomTags.StudyTime, "080000-120000", caseSensitivePN: false);
        Assert.That(lookup.Constraints.Select(c => c.Kind), Is.EqualTo(new[] { ConstraintKind.GreaterOrEqual, ConstraintKind.SmallerOrEqual }));
    }

    [Test]
    public void Dash_OutsideDatesAndTimes_IsData()
    {
        Assert.That(Matches(DicomTags.PatientID, "A-B", "A-B"), Is.True);
        Assert.That(Matches(DicomTags.PatientID, "A-C", "B"), Is.False);
    }

    [TestCase("1.2.3\\1.2.4", "1.2.4", true)]
    [TestCase("1.2.3\\1.2.4", "1.2.5", false)]
    [TestCase("1.2.3\\1.2.4", "1.2.3\\1.2.4", false)]
    public void UidList_MatchesAnyOne(string query, string stored, bool expected) =>
        Assert.That(Matches(DicomTags.StudyInstanceUID, query, stored), Is.EqualTo(expected));

    [TestCase("DOE^*", "DOE^JOHN", true)]
    [TestCase("DOE^*", "DOE^", true)]
    [TestCase("DO?^JOHN", "DOE^JOHN", true)]
    [TestCase("DO?^JOHN", "DO^JOHN", false)]
    [TestCase("*JOHN", "DOE^JOHN^X", false)]
    [TestCase("D.E*", "DOE^JOHN", false)]
    [TestCase("D.E*", "D.E^JOHN", true)]
    [TestCase("(A)*", "(A) B", true)]
    public void Wildcard_WholeValueMatchesRegexCharactersAreLiteral(string query, string stored, bool expected) =>
        Assert.That(Matches(DicomTags.PatientName, query, stored), Is.EqualTo(expected));

    [Test]
    public void Wildcard_OnlyOnTextVRs_ElsewhereRefused()
    {
        var lookup = new DicomLookup();
        lookup.AddDicomConstraint(DicomTags.Modality, "C*", caseSensitivePN: false);
        lookup.AddDicomConstraint(DicomTags.PatientID, "?1", caseSensitivePN: false);
        Assert.That(lookup.Constraints.Select(c => c.Kind), Is.EqualTo(new[] { ConstraintKind.Wildcard, ConstraintKind.Wildcard }));
        Assert.That(() => lookup.AddDicomConstraint(DicomTags.InstanceNumber, "1*", caseSensitivePN: false), Throws.ArgumentException);
        Assert.That(() => lookup.AddDicomConstraint(DicomTags.SOPInstanceUID, "1.2?", caseSensitivePN: false), Throws.ArgumentException);
        Assert.That(() => lookup.AddDicomConstraint(DicomTags.StudyDate, "2020*-", caseSensitivePN: false), Throws.ArgumentException);
    }

    [Test]
    public void PersonName_CaseInsensitiveUnlessCaseSensitivePN()
    {
        Assert.That(Matches(DicomTags.PatientName, "doe^john", "DOE^JOHN"), Is.True);
        Assert.That(Matches(DicomTags.PatientName, "doe*", "DOE^JOHN"), Is.True);
        Assert.That(Matches(DicomTags.PatientName, "doe^john", "DOE^JOHN", caseSensitivePN: true), Is.False);
        Assert.That(Matches(DicomTags.PatientName, "héloïse", "HÉLOÏSE"), Is.True, "accents fold with their letters");
        Assert.That(Matches(DicomTags.PatientName, "heloise", "HÉLOÏSE"), Is.False, "accents are not stripped");
    }

    [Test]
    public void OtherVRs_AlwaysCaseSensitiveInCFind()
    {
        Assert.That(Matches(DicomTags.PatientID, "abc", "ABC"), Is.False);
        Assert.That(Matches(DicomTags.Modality, "ct", "CT"), Is.False);
    }

    [Test]
    public void RestConstraint_CaseInsensitiveAppliesToEveryVR()
    {
        var lookup = new DicomLookup();
        lookup.AddRestConstraint(DicomTags.PatientID, "abc*", caseSensitive: false);
        Assert.That(lookup.IsMatch(_ => "ABCD"), Is.True);
        var sensitive = new DicomLookup();
        sensitive.AddRestConstraint(DicomTags.PatientName, "doe", caseSensitive: true);
        Assert.That(sensitive.IsMatch(_ => "DOE"), Is.False);
    }

    [Test]
    public void MissingTag_FailsMandatoryPassesOptional()
    {
        var mandatory = new DicomLookup();
        mandatory.AddDicomConstraint(DicomTags.AccessionNumber, "A1", caseSensitivePN: false);
        Assert.That(mandatory.IsMatch(_ => null), Is.False);
        var optional = new DicomLookup();
        optional.AddDicomConstraint(DicomTags.AccessionNumber, "A1", caseSensitivePN: false, mandatory: false);
        Assert.That(optional.IsMatch(_ => null), Is.True);
    }

    [Test]
    public void Sequence_CannotBeMatched() =>
        Assert.That(() => new DicomLookup().AddDicomConstraint(DicomTags.ReferencedSOPSequence, "x", caseSensitivePN: false), Throws.ArgumentException);

    [Test]
    public void AllConstraints_MustHold()
    {
        var lookup = new DicomLookup();
        lookup.AddDicomConstraint(DicomTags.Modality, "CT", caseSensitivePN: false);
        lookup.AddDicomConstraint(DicomTags.StudyDate, "2020-", caseSensitivePN: false);
        var values = new Dictionary<DicomTag, string> { [DicomTags.Modality] = "CT", [DicomTags.StudyDate] = "20210101" };
        Assert.That(lookup.IsMatch(t => values.GetValueOrDefault(t)), Is.True);
        values[DicomTags.StudyDate] = "20191231";
        Assert.That(lookup.IsMatch(t => values.GetValueOrDefault(t)), Is.False);
    }
}
