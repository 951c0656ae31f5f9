using DicomScript.Dicom.Data;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Dicom.Values;
using NUnit.Framework;

namespace DicomScript.Dicom.Tests.Values;

[TestFixture]
public class ValueHelperTests
{
    [Test]
    public void PersonName_ThreeGroups_Components()
    {
        var name = PersonName.Parse("Yamada^Tarou=山田^太郎=やまだ^たろう");
        Assert.That(name.Alphabetic.FamilyName, Is.EqualTo("Yamada"));
        Assert.That(name.Alphabetic.GivenName, Is.EqualTo("Tarou"));
        Assert.That(name.Ideographic.FamilyName, Is.EqualTo("山田"));
        Assert.That(name.Phonetic.GivenName, Is.EqualTo("たろう"));
        Assert.That(name.ToString(), Is.EqualTo("Yamada^Tarou=山田^太郎=やまだ^たろう"));
    }

    [TestCase("Doe^John^^Dr.^", "Doe", "John", "", "Dr.", "", "Doe^John^^Dr.")]
    [TestCase("Doe", "Doe", "", "", "", "", "Doe")]
    [TestCase("Wang^XiaoDong=", "Wang", "XiaoDong", "", "", "", "Wang^XiaoDong")]
    public void PersonName_Components_AndCanonicalForm(string text, string family, string given, string middle, string prefix, string suffix, string canonical)
    {
        var name = PersonName.Parse(text);
        Assert.That(name.Alphabetic, Is.EqualTo(new PersonNameGroup(family, given, middle, prefix, suffix)));
        Assert.That(name.ToString(), Is.EqualTo(canonical));
    }

    [Test]
    public void PersonName_EveryCorpusName_RoundTripsToItsCanonicalForm()
    {
        PydicomCorpus.Require();
        var count = 0;
        foreach (var file in PydicomCorpus.ValidFiles())
        {
            foreach (var entry in OurListing.Flatten(DicomFile.Open(PydicomCorpus.FullPath(file))))
            {
                if (entry.Item is not DicomElement { VR: var vr } element || vr != DicomVR.PN)
                    continue;
                foreach (var value in DicomDataset.DecodeValues(element, entry.Owner.CharacterSet))
                {
                    var canonical = PersonName.Parse(value).ToString();
                    Assert.That(PersonName.Parse(canonical), Is.EqualTo(PersonName.Parse(value)), $"{file}: {value}");
                    Assert.That(value.TrimEnd('=', '^', ' '), Does.StartWith(canonical.TrimEnd('=', '^')), $"{file}: {value}");
                    count++;
                }
            }
        }

        Assert.That(count, Is.GreaterThan(100));
    }

    [TestCase("20040119", 2004, 1, 19)]
    [TestCase("2004.01.19", 2004, 1, 19)]
    [TestCase(" 19991231 ", 1999, 12, 31)]
    public void Date_Valid_Parsed(string text, int year, int month, int day)
    {
        Assert.That(DicomDateTime.TryParseDate(text, out var date), Is.True);
        Assert.That(date, Is.EqualTo(new DateOnly(year, month, day)));
    }

    [TestCase("2004011")]
    [TestCase("20041301")]
    [TestCase("")]
    [TestCase(null)]
    public void Date_Invalid_False(string? text) => Assert.That(DicomDateTime.TryParseDate(text, out _), Is.False);

    [TestCase("072730", 7, 27, 30, 0)]
    [TestCase("0727", 7, 27, 0, 0)]
    [TestCase("07", 7, 0, 0, 0)]
    [TestCase("072731.123456", 7, 27, 31, 123456)]
    [TestCase("072731.5", 7, 27, 31, 500000)]
    [TestCase("07:27:30", 7, 27, 30, 0)]
    public void Time_Valid_Parsed(string text, int hour, int minute, int second, int microseconds)
    {
        Assert.That(DicomDateTime.TryParseTime(text, out var time), Is.True);
        Assert.That(time, Is.EqualTo(new TimeOnly(hour, minute, second).Add(TimeSpan.FromTicks(microseconds * 10L))));
    }

    [TestCase("2460")]
    [TestCase("07273")]
    [TestCase("072730.1234567")]
    public void Time_Invalid_False(string text) => Assert.That(DicomDateTime.TryParseTime(text, out _), Is.False);

    [Test]
    public void DateTime_WithFractionAndOffset_Parsed()
    {
        Assert.That(DicomDateTime.TryParseDateTime("20010213184746.5+0100", out var value, out var offset), Is.True);
        Assert.That(value, Is.EqualTo(new DateTime(2001, 2, 13, 18, 47, 46, 500)));
        Assert.That(offset, Is.EqualTo(TimeSpan.FromHours(1)));
        Assert.That(DicomDateTime.TryParseDateTime("2001", out var yearOnly, out var none), Is.True);
        Assert.That(yearOnly, Is.EqualTo(new DateTime(2001, 1, 1)));
        Assert.That(none, Is.Null);
        Assert.That(DicomDateTime.TryParseDateTime("20011313", out _, out _), Is.False);
    }

    [Test]
    public void DateTime_Format_DicomForms()
    {
        Assert.That(DicomDateTime.FormatDate(new DateOnly(2026, 11, 24)), Is.EqualTo("20261124"));
        Assert.That(DicomDateTime.FormatTime(new TimeOnly(8, 26, 37)), Is.EqualTo("082637"));
        Assert.That(DicomDateTime.FormatDateTime(new DateTime(2026, 11, 23, 8, 26, 37)), Is.EqualTo("20261123082637"));
    }

    [Test]
    public void Numbers_IntegerAndDecimalStrings()
    {
        Assert.That(DicomNumbers.TryParseIntegerString(" +12", out var i), Is.True);
        Assert.That(i, Is.EqualTo(12));
        Assert.That(DicomNumbers.TryParseIntegerString("1A", out _), Is.False);
        Assert.That(DicomNumbers.TryParseDecimalString("1.0000000e-6", out var d), Is.True);
        Assert.That(d, Is.EqualTo(1e-6));
        Assert.That(DicomNumbers.FormatDecimalString(1.0 / 3), Has.Length.LessThanOrEqualTo(16));
        Assert.That(DicomNumbers.FormatDecimalString(0.661468), Is.EqualTo("0.661468"));
        Assert.That(double.Parse(DicomNumbers.FormatDecimalString(-123456.789012345), System.Globalization.CultureInfo.InvariantCulture),
            Is.EqualTo(-123456.789012345).Within(1e-8));
    }
}
