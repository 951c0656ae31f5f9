using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.Json;
using NUnit.Framework;

namespace DicomScript.Dicom.Tests.Json;

/// <summary>
/// Orthanc 1.10.1's conversion rules, one by one, with the answers the real Orthanc gave for the same
/// values (captured from probe files uploaded to it; the corpus-wide comparison is OrthancOracleTests).
/// </summary>
[TestFixture]
public class OrthancRulesTests
{
    private static JsonNode Full(DicomDataset dataset) => JsonNode.Parse(OrthancJsonWriter.ToJson(dataset, OrthancTagFormat.Full))!;

    private static JsonNode Simplified(DicomDataset dataset) => JsonNode.Parse(OrthancJsonWriter.ToJson(dataset, OrthancTagFormat.Simplified))!;

    private static DicomDataset With(DicomTag tag, DicomVR vr, byte[] raw) => new DicomDataset().Add(new DicomElement(tag, vr, raw));

    private static string? ValueOf(DicomDataset dataset, DicomTag tag) => Full(dataset)[tag.ToString()]!["Value"]?.GetValue<string>();

    private static string TypeOf(DicomDataset dataset, DicomTag tag) => Full(dataset)[tag.ToString()]!["Type"]!.GetValue<string>();

    [TestCase("LO", "ABC   ", "ABC")]
    [TestCase("LO", "  lead", "  lead")]
    [TestCase("CS", " HEAD ", " HEAD")]
    [TestCase("AE", " AET ", " AET ")] // odd length: nothing stripped
    [TestCase("SH", "A\0B ", "A")] // the value ends at the first NUL
    [TestCase("LO", "AB \0", "AB ")]
    [TestCase("UI", " 1.2 .3 ", "1.2.3")] // UI loses every white-space character
    [TestCase("UI", "1.2.3\0\0\0\0\0", "1.2.3")]
    [TestCase("DS", "5.000000", "5.000000")] // no normalisation
    [TestCase("CS", "A\\B \\ ", "A\\B \\")]
    [TestCase("LO", "", "")]
    public void Text_PaddingAndNuls_AsOrthanc(string vr, string raw, string expected)
    {
        var tag = new DicomTag(0x0008, 0x1030);
        Assert.That(ValueOf(With(tag, DicomVR.Parse(vr), Encoding.Latin1.GetBytes(raw)), tag), Is.EqualTo(expected));
    }

    [TestCase(0.1f, "0.10000000149011612")]
    [TestCase(-77.20406341552734f, "-77.204063415527344")]
    [TestCase(1e-7f, "1.0000000116860974e-07")]
    [TestCase(float.MaxValue, "3.4028234663852886e+38")]
    [TestCase(16777216f, "16777216")]
    public void Float_PrintedLikePercent17g(float value, string expected) => Assert.That(PrintfDouble.Format(value), Is.EqualTo(expected));

    [TestCase(0.1, "0.10000000000000001")]
    [TestCase(2.0, "2")]
    [TestCase(0.625, "0.625")]
    [TestCase(862399761.111079, "862399761.11107898")]
    [TestCase(1e300, "1.0000000000000001e+300")]
    [TestCase(1e-300, "1e-300")]
    [TestCase(5e-324, "4.9406564584124654e-324")]
    [TestCase(1e20, "1e+20")]
    [TestCase(1e16, "10000000000000000")]
    [TestCase(1e17, "1e+17")]
    [TestCase(1.0 / 3, "0.33333333333333331")]
    [TestCase(123456789.123, "123456789.123")]
    [TestCase(-0.0, "-0")]
    [TestCase(double.NegativeInfinity, "-inf")]
    public void Double_PrintedLikePercent17g(double value, string expected) => Assert.That(PrintfDouble.Format(value), Is.EqualTo(expected));

    [Test]
    public void Double_NaN_SignShownAsGlibcDoes()
    {
        // .NET's double.NaN has the sign bit set; the bytes of the element decide, as in C.
        Assert.That(PrintfDouble.Format(BitConverter.Int64BitsToDouble(0x7FF8000000000000)), Is.EqualTo("nan"));
        Assert.That(PrintfDouble.Format(BitConverter.Int64BitsToDouble(unchecked((long)0xFFF8000000000000))), Is.EqualTo("-nan"));
    }

    [Test]
    public void UnsignedShorts_SeveralWholeValues_AllJoined()
    {
        var raw = new byte[8];
        ushort[] values = [256, 0, 0, 160];
        for (var i = 0; i < 4; i++)
            BinaryPrimitives.WriteUInt16LittleEndian(raw.AsSpan(i * 2), values[i]);
        Assert.That(ValueOf(With(DicomTags.AcquisitionMatrix, DicomVR.US, raw), DicomTags.AcquisitionMatrix), Is.EqualTo("256\\0\\0\\160"));
    }

    [Test]
    public void Float_LengthNotAMultiple_FirstValueOnly()
    {
        var raw = new byte[6];
        BinaryPrimitives.WriteSingleLittleEndian(raw, 1f);
        var tag = new DicomTag(0x0018, 0x9087);
        Assert.That(ValueOf(With(tag, DicomVR.FL, raw), tag), Is.EqualTo("1"));
    }

    [TestCase("US")]
    [TestCase("FD")]
    [TestCase("AT")]
    public void Number_Empty_Null(string vr)
    {
        var tag = new DicomTag(0x0028, 0x0010);
        Assert.That(TypeOf(With(tag, DicomVR.Parse(vr), []), tag), Is.EqualTo("Null"));
    }

    [Test]
    public void AttributeTag_Several_FirstOnlyLowerCase()
    {
        byte[] raw = [0x54, 0x00, 0x10, 0x00, 0xAB, 0x00, 0xEF, 0xCD];
        Assert.That(ValueOf(With(DicomTags.FrameIncrementPointer, DicomVR.AT, raw), DicomTags.FrameIncrementPointer), Is.EqualTo("0054,0010"));
    }

    [Test]
    public void Text_Over256Utf8Bytes_TooLong()
    {
        var tag = DicomTags.StudyDescription;
        var latin1 = new DicomDataset().AddString(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 100");
        latin1.AddString(tag, DicomVR.LO, new string('é', 128)); // 128 bytes on the wire, 256 in UTF-8
        Assert.That(TypeOf(latin1, tag), Is.EqualTo("String"));
        latin1.AddString(tag, DicomVR.LO, new string('é', 130)); // 260 bytes in UTF-8
        Assert.That(TypeOf(latin1, tag), Is.EqualTo("TooLong"));
        Assert.That(Full(latin1)[tag.ToString()]!["Value"], Is.Null);
    }

    [TestCase("OB")]
    [TestCase("OW")]
    [TestCase("OF")]
    [TestCase("OD")]
    [TestCase("OL")]
    [TestCase("OV")]
    [TestCase("SV")]
    [TestCase("UV")]
    public void Binary_AnyBulkVR_Null(string vr)
    {
        var tag = new DicomTag(0x0009, 0x0001);
        Assert.That(TypeOf(With(tag, DicomVR.Parse(vr), new byte[8]), tag), Is.EqualTo("Null"));
    }

    [Test]
    public void UnknownVR_PublicTextTag_DecodedKeepingSpaces()
    {
        Assert.That(ValueOf(With(DicomTags.PatientSex, DicomVR.UN, "O "u8.ToArray()), DicomTags.PatientSex), Is.EqualTo("O "));
        Assert.That(TypeOf(With(DicomTags.FrameIncrementPointer, DicomVR.UN, new byte[4]), DicomTags.FrameIncrementPointer), Is.EqualTo("Null"));
    }

    [Test]
    public void UnknownVR_KnownPrivateTextTag_OnlyWhenAscii()
    {
        var creator = new DicomElement(new DicomTag(0x0029, 0x0010), DicomVR.LO, "SIEMENS CSA HEADER"u8.ToArray());
        var tag = new DicomTag(0x0029, 0x1008);
        var ascii = new DicomDataset().Add(creator).Add(new DicomElement(tag, DicomVR.UN, "IMAGE NUM 4 "u8.ToArray()));
        Assert.That(ValueOf(ascii, tag), Is.EqualTo("IMAGE NUM 4 "));
        Assert.That(Full(ascii)[tag.ToString()]!["PrivateCreator"]!.GetValue<string>(), Is.EqualTo("SIEMENS CSA HEADER"));
        var latin = new DicomDataset().Add(creator).Add(new DicomElement(tag, DicomVR.UN, new byte[] { 0xE9, 0xE9 }));
        Assert.That(TypeOf(latin, tag), Is.EqualTo("Null"));
    }

    [Test]
    public void Names_RetiredOverriddenGroupLengthAndUnknown()
    {
        var dataset = new DicomDataset()
            .AddUInt32(new DicomTag(0x0008, 0x0000), 1234)
            .AddString(new DicomTag(0x0008, 0x0040), DicomVR.CS, "3")
            .AddString(new DicomTag(0x0010, 0x1000), DicomVR.LO, "OTHER1\\OTHER2")
            .AddString(new DicomTag(0x0008, 0x0003), DicomVR.LO, "nodict");
        var simplified = Simplified(dataset);
        Assert.That(simplified["GenericGroupLength"]!.GetValue<string>(), Is.EqualTo("1234"));
        Assert.That(simplified["RETIRED_DataSetType"]!.GetValue<string>(), Is.EqualTo("3"));
        Assert.That(simplified["OtherPatientIDs"]!.GetValue<string>(), Is.EqualTo("OTHER1\\OTHER2"));
        Assert.That(simplified["Unknown Tag & Data"]!.GetValue<string>(), Is.EqualTo("nodict"));
    }

    [Test]
    public void Simplified_RepeatedName_HighestTagWins()
    {
        var dataset = new DicomDataset()
            .AddUInt16(new DicomTag(0x6000, 0x0010), 10)
            .AddUInt16(new DicomTag(0x6002, 0x0010), 20);
        Assert.That(Simplified(dataset)["OverlayRows"]!.GetValue<string>(), Is.EqualTo("20"));
    }

    [Test]
    public void TopLevel_TagsAfterPixelData_LeftOutButNotInsideItems()
    {
        var item = new DicomDataset().AddBytes(DicomTags.PixelData, DicomVR.OB, new byte[2]).AddString(new DicomTag(0x7FE1, 0x0010), DicomVR.LO, "inside");
        var dataset = new DicomDataset()
            .Add(new DicomSequence(DicomTags.ReferencedImageSequence, [item]))
            .AddString(new DicomTag(0x7FE1, 0x0010), DicomVR.LO, "after")
            .AddBytes(DicomTags.DataSetTrailingPadding, DicomVR.OB, new byte[2]);
        var full = Full(dataset);
        Assert.That(full.AsObject().ContainsKey("7fe1,0010"), Is.False);
        Assert.That(full.AsObject().ContainsKey("fffc,fffc"), Is.False);
        Assert.That(full["0008,1140"]!["Value"]![0]!["7fe1,0010"]!["Value"]!.GetValue<string>(), Is.EqualTo("inside"));
    }

    [Test]
    public void Sequence_EmptyAndEmptyItem_ArrayShapes()
    {
        var dataset = new DicomDataset()
            .Add(new DicomSequence(DicomTags.ReferencedImageSequence))
            .Add(new DicomSequence(DicomTags.ReferencedSeriesSequence, [new DicomDataset()]));
        var simplified = Simplified(dataset);
        Assert.That(simplified["ReferencedImageSequence"]!.AsArray(), Is.Empty);
        Assert.That(simplified["ReferencedSeriesSequence"]!.ToJsonString(), Is.EqualTo("[{}]"));
        Assert.That(Full(dataset)["0008,1140"]!["Type"]!.GetValue<string>(), Is.EqualTo("Sequence"));
    }

    [Test]
    public void Short_KeysAreTags()
    {
        var dataset = new DicomDataset().AddString(DicomTags.PatientID, DicomVR.LO, "ID1");
        var text = OrthancJsonWriter.ToJson(dataset, OrthancTagFormat.Short, indented: false);
        Assert.That(text, Is.EqualTo("{\"0010,0020\":\"ID1\"}"));
    }

    [Test]
    public void Full_Indentation_ThreeSpacesAsOrthanc()
    {
        var dataset = new DicomDataset().AddString(DicomTags.PatientID, DicomVR.LO, "ID1");
        Assert.That(OrthancJsonWriter.ToJson(dataset, OrthancTagFormat.Simplified), Is.EqualTo("{\n   \"PatientID\": \"ID1\"\n}"));
    }
}
