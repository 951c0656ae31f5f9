using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Dicom.Text;
using NUnit.Framework;

namespace DicomScript.Dicom.Tests.Text;

[TestFixture]
public class CharacterSetTests
{
    public static IEnumerable<string> CharsetFiles()
    {
        var files = Directory.Exists(PydicomCorpus.CharsetFiles)
            ? Directory.EnumerateFiles(PydicomCorpus.CharsetFiles, "*.dcm").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList()
            : [];
        return files.Count > 0 ? files.Select(f => f!) : ["(pydicom corpus not installed)"];
    }

    /// <summary>Every text value of every charset file decodes to what pydicom decodes it to.</summary>
    [TestCaseSource(nameof(CharsetFiles))]
    public void Decode_CharsetFile_SameTextAsPydicom(string file)
    {
        PydicomCorpus.Require();
        var path = Path.Combine(PydicomCorpus.CharsetFiles, file);
        // Matched by position and tag: pydicom's private dictionary knows a few private tags we read as UN.
        var theirs = Pydicom.Read(path).Where(e => IsCharsetText(e.VR)).ToList();
        var ours = OurListing.Flatten(DicomFile.Open(path))
            .Where(e => e.Item is DicomElement { VR.IsCharacterSetSensitive: true } && e.Item.Tag.Group != 0x0002)
            .ToList();

        var next = 0;
        foreach (var entry in ours)
        {
            while (next < theirs.Count && (theirs[next].Tag != entry.Item.Tag.ToString() || theirs[next].Depth != entry.Depth))
                next++;
            Assert.That(next, Is.LessThan(theirs.Count), $"{file}: pydicom has no text element {entry.Item.Tag}");
            var text = DicomDataset.DecodeText((DicomElement)entry.Item, entry.Owner.CharacterSet);
            // pydicom's str() of a person name leaves out empty trailing component groups ("=").
            if (entry.Item.VR == DicomVR.PN)
                text = text.TrimEnd('=');
            Assert.That(text, Is.EqualTo(theirs[next].Value ?? ""), $"{file} {theirs[next].Tag}");
            next++;
        }

        Assert.That(ours, Is.Not.Empty);
    }

    private static bool IsCharsetText(string vr) => vr is "SH" or "LO" or "ST" or "LT" or "UC" or "UT" or "PN";

    [TestCase("chrH31.dcm", "Yamada^Tarou=山田^太郎=やまだ^たろう")]
    [TestCase("chrH32.dcm", "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう")]
    [TestCase("chrI2.dcm", "Hong^Gildong=洪^吉洞=홍^길동")]
    [TestCase("chrX1.dcm", "Wang^XiaoDong=王^小東=")]
    [TestCase("chrX2.dcm", "Wang^XiaoDong=王^小东=")]
    [TestCase("chrGreek.dcm", "Διονυσιος")]
    [TestCase("chrRuss.dcm", "Люкceмбypг")]
    [TestCase("chrArab.dcm", "قباني^لنزار")]
    [TestCase("chrHbrw.dcm", "שרון^דבורה")]
    [TestCase("chrGerm.dcm", "Äneas^Rüdiger")]
    public void Decode_PatientName_KnownUnicode(string file, string expected)
    {
        PydicomCorpus.Require();
        var dataset = DicomFile.Open(Path.Combine(PydicomCorpus.CharsetFiles, file)).Dataset;
        Assert.That(dataset.GetString(DicomTags.PatientName), Is.EqualTo(expected));
    }

    [TestCase("ISO_IR 100", "Bucé^Jérôme")]
    [TestCase("ISO_IR 192", "Wang^XiaoDong=王^小東")]
    [TestCase("GB18030", "Wang^XiaoDong=王^小东")]
    [TestCase("ISO_IR 144", "Люкceмбypг")]
    [TestCase("\\ISO 2022 IR 87", "Yamada^Tarou=山田^太郎=やまだ^たろう")]
    [TestCase("ISO 2022 IR 13\\ISO 2022 IR 87", "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう")]
    [TestCase("\\ISO 2022 IR 149", "Hong^Gildong=洪^吉洞=홍^길동")]
    [TestCase("\\ISO 2022 IR 58", "Zhang^SanFeng=张^三丰")]
    public void Encode_ThenDecode_SameText(string specificCharacterSet, string text)
    {
        var characterSet = DicomCharacterSet.Parse(specificCharacterSet);
        Assert.That(characterSet.Decode(characterSet.Encode(text)), Is.EqualTo(text));
    }

    [Test]
    public void Encode_Iso2022Japanese_SameBytesAsTheStandardExample()
    {
        // PS3.5 Annex H.3.1 (and chrH31.dcm): escapes around each run of kanji, back to ASCII after.
        var characterSet = DicomCharacterSet.Parse("\\ISO 2022 IR 87");
        var bytes = characterSet.Encode("Yamada^Tarou=山田^太郎");
        Assert.That(bytes, Is.EqualTo("Yamada^Tarou=\u001b$B;3ED\u001b(B^\u001b$BB@O:\u001b(B"u8.ToArray()));
    }

    [Test]
    public void Decode_UnknownTerm_FallsBackAndReportsIt()
    {
        var characterSet = DicomCharacterSet.Parse("ISO_IR 999");
        Assert.That(characterSet.UnknownTerms, Is.EqualTo(new[] { "ISO_IR 999" }));
        Assert.That(characterSet.Decode("abc"u8), Is.EqualTo("abc"));
    }

    [Test]
    public void CharacterSet_SequenceItemWithoutOwnSet_InheritsFromParent()
    {
        PydicomCorpus.Require();
        var dataset = DicomFile.Open(Path.Combine(PydicomCorpus.CharsetFiles, "chrSQEncoding1.dcm")).Dataset;
        var item = dataset.OfType<DicomSequence>().First().Items[0];
        Assert.That(item.CharacterSet.DefinedTerms, Is.EqualTo(new[] { "ISO 2022 IR 13", "ISO 2022 IR 87" }));
    }

    // Datasets ask for their set at every text value: a value seen before is not parsed again.
    [Test]
    public void FromElement_SameValueTwice_TheSameParsedSet_DifferentValues_DifferentSets()
    {
        DicomCharacterSet Of(string value) => DicomCharacterSet.FromElement(
            (DicomElement)new DicomDataset().AddString(DicomTags.SpecificCharacterSet, DicomVR.CS, value).Get(DicomTags.SpecificCharacterSet)!);

        var latin1 = Of("ISO_IR 100");
        Assert.That(Of("ISO_IR 100"), Is.SameAs(latin1));
        Assert.That(latin1.Decode([0xE9]), Is.EqualTo("é"));
        var cyrillic = Of("ISO_IR 144");
        Assert.That(cyrillic, Is.Not.SameAs(latin1));
        Assert.That(cyrillic.Decode([0xB0]), Is.EqualTo("А"));
        Assert.That(Of("\\ISO 2022 IR 87").UsesCodeExtensions, Is.True);
    }
}
