using System.Text.Json.Nodes;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Server.Modification;
using DicomScript.Storage.Identifiers;
using NUnit.Framework;

namespace DicomScript.Server.Tests.Modification;

/// <summary>
/// The modification engine on hand-made datasets: what the request readers accept and refuse,
/// identifiers made once per job and followed by references, the saved form, and values built
/// from JSON. (Whole files against the real Orthanc: ModifyOracleTests in the REST tests.)
/// </summary>
[TestFixture]
public class DicomModificationTests
{
    private static DicomDataset Instance(string study, string series, string sop, string? referenced = null)
    {
        var dataset = new DicomDataset()
            .AddString(DicomTags.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.2")
            .AddString(DicomTags.SOPInstanceUID, DicomVR.UI, sop)
            .AddString(DicomTags.AccessionNumber, DicomVR.SH, "ACC1")
            .AddString(DicomTags.InstitutionName, DicomVR.LO, "Hospital")
            .AddString(DicomTags.PatientName, DicomVR.PN, "Doe^John")
            .AddString(DicomTags.PatientID, DicomVR.LO, "P1")
            .AddString(DicomTags.StudyInstanceUID, DicomVR.UI, study)
            .AddString(DicomTags.SeriesInstanceUID, DicomVR.UI, series)
            .AddString(DicomTags.FrameOfReferenceUID, DicomVR.UI, "1.9.9")
            .AddString(new DicomTag(0x0009, 0x0010), DicomVR.LO, "ACME")
            .AddString(new DicomTag(0x0009, 0x1001), DicomVR.LO, "secret");
        if (referenced is not null)
        {
            var item = new DicomDataset()
                .AddString(DicomTags.ReferencedSOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.2")
                .AddString(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, referenced)
                .AddString(DicomTags.InstitutionName, DicomVR.LO, "Inside")
                .AddString(new DicomTag(0x0009, 0x1001), DicomVR.LO, "nested secret");
            dataset.Add(new DicomSequence(DicomTags.ReferencedImageSequence, [item]));
        }

        return dataset;
    }

    private static DicomModification Anonymization(string body = "{}") =>
        ModificationRequest.ParseAnonymize(JsonNode.Parse(body), "", () => "Anonymized7");

    [Test]
    public void Anonymize_OneJob_SameNewIdentifiersAndReferencesFollow()
    {
        var modification = Anonymization();
        var first = Instance("1.1", "1.1.1", "1.1.1.1");
        var second = Instance("1.1", "1.1.1", "1.1.1.2", referenced: "1.1.1.1");
        modification.Apply(first);
        modification.Apply(second);

        Assert.That(second.GetString(DicomTags.StudyInstanceUID), Is.EqualTo(first.GetString(DicomTags.StudyInstanceUID)).And.Not.EqualTo("1.1"));
        Assert.That(second.GetString(DicomTags.SeriesInstanceUID), Is.EqualTo(first.GetString(DicomTags.SeriesInstanceUID)).And.Not.EqualTo("1.1.1"));
        Assert.That(second.GetString(DicomTags.SOPInstanceUID), Is.Not.EqualTo(first.GetString(DicomTags.SOPInstanceUID)));
        Assert.That(second.GetString(DicomTags.PatientID), Is.EqualTo(first.GetString(DicomTags.PatientID)).And.Matches("^[0-9a-f-]{36}$"));
        Assert.That(second.GetString(DicomTags.FrameOfReferenceUID), Is.EqualTo(first.GetString(DicomTags.FrameOfReferenceUID)).And.Not.EqualTo("1.9.9"));
        var item = second.GetSequence(DicomTags.ReferencedImageSequence)!.Items[0];
        Assert.That(item.GetString(DicomTags.ReferencedSOPInstanceUID), Is.EqualTo(first.GetString(DicomTags.SOPInstanceUID)), "the reference follows the instance");
        Assert.That(item.Contains(DicomTags.InstitutionName), Is.False, "removed inside sequences too");
        Assert.That(item.Contains(new DicomTag(0x0009, 0x1001)), Is.False, "private tags inside sequences too");
        Assert.That(first.GetString(DicomTags.PatientName), Is.EqualTo("Anonymized7"));
        Assert.That(first.GetString(DicomTags.AccessionNumber), Is.Empty, "emptied (Z)");
        Assert.That(first.Contains(DicomTags.InstitutionName), Is.False, "removed (X/Z/D)");
        Assert.That(first.Contains(new DicomTag(0x0009, 0x1001)), Is.False);
        Assert.That(first.GetString(DicomTags.PatientIdentityRemoved), Is.EqualTo("YES"));
        Assert.That(first.GetString(DicomTags.DeidentificationMethod), Is.EqualTo("DicomScript - PS 3.15-2021b Table E.1-1 Basic Profile"));
    }

    [Test]
    public void Anonymize_WithOwnChoices_DoesNotClaimTheProfile()
    {
        var modification = Anonymization("""{"Keep": ["InstitutionName", "ReferencedImageSequence"], "Replace": {"PatientName": "Jane"}}""");
        var dataset = Instance("1.1", "1.1.1", "1.1.1.2", referenced: "1.1.1.1");
        modification.Apply(dataset);
        Assert.That(dataset.GetString(DicomTags.InstitutionName), Is.EqualTo("Hospital"));
        Assert.That(dataset.GetString(DicomTags.PatientName), Is.EqualTo("Jane"));
        Assert.That(dataset.Contains(DicomTags.DeidentificationMethod), Is.False);
        var item = dataset.GetSequence(DicomTags.ReferencedImageSequence)!.Items[0];
        Assert.That(item.GetString(DicomTags.InstitutionName), Is.EqualTo("Inside"), "a kept sequence keeps its content");
        Assert.That(item.GetString(DicomTags.ReferencedSOPInstanceUID), Is.EqualTo("1.1.1.1"));
    }

    [Test]
    public void SavedAndReadBack_GoesOnWithTheSameNewIdentifiers()
    {
        var modification = ModificationRequest.ParseModify(JsonNode.Parse("""
            {"Replace": {"InstitutionName": "Clinic", "ReferencedImageSequence[*].ReferencedSOPClassUID": "1.2"},
             "Remove": ["ReferencedImageSequence[0].InstitutionName"], "Keep": ["0009,1001"], "RemovePrivateTags": true, "PrivateCreator": "ACME"}
            """), "");
        modification.SetLevel(ResourceLevel.Study);
        var first = Instance("1.1", "1.1.1", "1.1.1.1");
        modification.Apply(first);

        var reloaded = DicomModification.Deserialize(JsonNode.Parse(modification.Serialize().ToJsonString())!.AsObject());
        Assert.That(reloaded.Serialize().ToJsonString(), Is.EqualTo(modification.Serialize().ToJsonString()));
        var second = Instance("1.1", "1.1.2", "1.1.2.1", referenced: "1.1.1.1");
        reloaded.Apply(second);
        Assert.That(second.GetString(DicomTags.StudyInstanceUID), Is.EqualTo(first.GetString(DicomTags.StudyInstanceUID)).And.Not.EqualTo("1.1"));
        Assert.That(second.GetString(DicomTags.InstitutionName), Is.EqualTo("Clinic"));
        Assert.That(second.GetString(new DicomTag(0x0009, 0x1001)), Is.EqualTo("secret"), "a kept private tag survives RemovePrivateTags");
        Assert.That(second.Contains(new DicomTag(0x0009, 0x0010)), Is.False, "its creator does not (as in Orthanc)");
        var item = second.GetSequence(DicomTags.ReferencedImageSequence)!.Items[0];
        Assert.That(item.GetString(DicomTags.ReferencedSOPClassUID), Is.EqualTo("1.2"));
        Assert.That(item.Contains(DicomTags.InstitutionName), Is.False);
        Assert.That(item.GetString(DicomTags.ReferencedSOPInstanceUID), Is.EqualTo("1.1.1.1"), "a modification does not remap references");
    }

    [TestCase("""{"Replace": {"PatientID": "x"}}""", OrthancError.BadRequest, "Marking tag \"PatientID\" as to be replaced requires the \"Force\" option to be set to true")]
    [TestCase("""{"Keep": ["0020,000d"]}""", OrthancError.BadRequest, "Marking tag \"0020,000d\" as to be kept requires the \"Force\" option to be set to true")]
    [TestCase("""{"Remove": ["SOPInstanceUID"]}""", OrthancError.BadRequest, "Marking tag \"SOPInstanceUID\" as to be removed requires the \"Force\" option to be set to true")]
    [TestCase("""{"Remove": ["NoSuchTag"]}""", OrthancError.UnknownDicomTag, "")]
    [TestCase("""{"Remove": ["(0010,0010"]}""", OrthancError.UnknownDicomTag, "")]
    [TestCase("""{"Remove": ["(0010,0010"]}""", OrthancError.UnknownDicomTag, "")]
    [TestCase("""{"Remove": ["(0010,001x)"]}""", OrthancError.UnknownDicomTag, "Cannot parse tag: (0010,001x)")]
    [TestCase("""{"Remove": ["ReferencedImageSequence.ReferencedSOPInstanceUID"]}""", OrthancError.ParameterOutOfRange, "Parent path doesn't contain an index")]
    [TestCase("""{"Remove": ["ReferencedImageSequence[-1].ReferencedSOPInstanceUID"]}""", OrthancError.ParameterOutOfRange, "Negative index in parent path: -1")]
    [TestCase("""{"Remove": ["ReferencedImageSequence[x].ReferencedSOPInstanceUID"]}""", OrthancError.ParameterOutOfRange, "Not a valid index in parent path: [x]")]
    [TestCase("""{"Remove": "PatientName"}""", OrthancError.BadRequest, "")]
    [TestCase("""{"Remove": [3]}""", OrthancError.BadRequest, "")]
    [TestCase("""{"Replace": ["PatientName"]}""", OrthancError.BadRequest, "")]
    [TestCase("""{"Force": "yes"}""", OrthancError.BadFileFormat, "Member \"Force\" should be a Boolean value")]
    [TestCase("""{"PrivateCreator": 1}""", OrthancError.BadFileFormat, "String value expected in field: PrivateCreator")]
    [TestCase("""[]""", OrthancError.BadFileFormat, "")]
    public void ParseModify_Refused(string body, OrthancError error, string details)
    {
        var ex = Assert.Throws<ModificationException>(() => ModificationRequest.ParseModify(JsonNode.Parse(body), ""))!;
        Assert.That((ex.Error, ex.Message), Is.EqualTo((error, details)));
    }

    [TestCase("""{"DicomVersion": "2019a"}""", OrthancError.ParameterOutOfRange, "Unknown specific version of the DICOM standard: 2019a")]
    [TestCase("""{"DicomVersion": 2021}""", OrthancError.BadFileFormat, "")]
    [TestCase("""{"KeepPrivateTags": 1}""", OrthancError.BadFileFormat, "Member \"KeepPrivateTags\" should be a Boolean value")]
    public void ParseAnonymize_Refused(string body, OrthancError error, string details)
    {
        var ex = Assert.Throws<ModificationException>(() => Anonymization(body))!;
        Assert.That((ex.Error, ex.Message), Is.EqualTo((error, details)));
    }

    [TestCase(ResourceLevel.Patient, """{"Replace": {"InstitutionName": "x"}}""", "When modifying a patient, her PatientID is required to be modified")]
    [TestCase(ResourceLevel.Study, """{"Replace": {"PatientID": "x"}, "Force": true}""", "When modifying a study, the parent PatientID cannot be manually modified")]
    [TestCase(ResourceLevel.Series, """{"Replace": {"StudyInstanceUID": "1.2"}, "Force": true}""", "When modifying a series, the parent StudyInstanceUID cannot be manually modified")]
    [TestCase(ResourceLevel.Instance, """{"Replace": {"SeriesInstanceUID": "1.2"}, "Force": true}""", "When modifying an instance, the parent SeriesInstanceUID cannot be manually modified")]
    [TestCase(ResourceLevel.Instance, """{"Remove": ["StudyInstanceUID"], "Force": true}""", "")]
    public void Apply_BreakingTheModelAtTheLevel_Refused(ResourceLevel level, string body, string details)
    {
        var modification = ModificationRequest.ParseModify(JsonNode.Parse(body), "");
        modification.SetLevel(level);
        var dataset = Instance("1.1", "1.1.1", "1.1.1.1");
        var ex = Assert.Throws<ModificationException>(() => modification.Apply(dataset))!;
        Assert.That((ex.Error, ex.Message), Is.EqualTo((OrthancError.BadRequest, details)));
    }

    [Test]
    public void Apply_ManualIdentifiersBelowTheLevel_RefusedOnlyWhenNotAllowed()
    {
        var modification = ModificationRequest.ParseModify(JsonNode.Parse("""{"Replace": {"SOPInstanceUID": "1.5"}, "Force": true}"""), "");
        modification.SetLevel(ResourceLevel.Study);
        var dataset = Instance("1.1", "1.1.1", "1.1.1.1");
        modification.Apply(dataset);
        Assert.That(dataset.GetString(DicomTags.SOPInstanceUID), Is.EqualTo("1.5"));
        modification.AllowManualIdentifiers = false;
        var ex = Assert.Throws<ModificationException>(() => modification.Apply(Instance("1.1", "1.1.1", "1.1.1.1")))!;
        Assert.That(ex.Message, Is.EqualTo("When modifying a study, the SopInstanceUID cannot be manually modified"));
    }

    [TestCase("Rows", "512", "US", new byte[] { 0, 2 })]
    [TestCase("SmallestImagePixelValue", "-2", "SS", new byte[] { 0xFE, 0xFF })]
    [TestCase("SmallestImagePixelValue", "2", "US", new byte[] { 2, 0 })]
    [TestCase("ReferencedFrameNumber", "1\\2", "IS", new byte[] { (byte)'1', (byte)'\\', (byte)'2', (byte)' ' })]
    [TestCase("PixelData", "data:application/octet-stream;base64,AQID", "OB", new byte[] { 1, 2, 3, 0 })]
    [TestCase("0019,1001", "abc", "UN", new byte[] { (byte)'a', (byte)'b', (byte)'c', 0 })]
    [TestCase("SliceLocation", "", "DS", new byte[0])]
    [TestCase("0019,0010", "ACME", "LO", new byte[] { (byte)'A', (byte)'C', (byte)'M', (byte)'E' })]
    public void Replace_ValueInTheTagsVR(string tag, string value, string vr, byte[] expected)
    {
        var modification = ModificationRequest.ParseModify(new JsonObject { ["Replace"] = new JsonObject { [tag] = value } }, "");
        var dataset = Instance("1.1", "1.1.1", "1.1.1.1");
        modification.Apply(dataset);
        var element = (DicomElement)dataset.Get(DicomPath.ParseTag(tag))!;
        Assert.That((element.VR.Code, element.RawValue.ToArray()), Is.EqualTo((vr, expected)));
    }

    [TestCase("""{"Rows": "abc"}""", OrthancError.BadFileFormat, "While creating a DICOM instance, tag (0028,0010) has out-of-range value: \"abc\"")]
    [TestCase("""{"PatientName": 1}""", OrthancError.BadParameterType, "Bad Parameter type for tag 0010,0010")]
    [TestCase("""{"PatientName": [{}]}""", OrthancError.BadParameterType, "Bad Parameter type for tag 0010,0010")]
    [TestCase("""{"ReferencedStudySequence": [3]}""", OrthancError.BadParameterType, "")]
    [TestCase("""{"ReferencedStudySequence": [{"Nope": "x"}]}""", OrthancError.UnknownDicomTag, "")]
    [TestCase("""{"RedPaletteColorLookupTableData": "abc"}""", OrthancError.InternalError, "A tag with OW VR must have an even number of bytes")]
    public void Replace_ValueThatDoesNotFit_Refused(string replacements, OrthancError error, string details)
    {
        var modification = ModificationRequest.ParseModify(new JsonObject { ["Replace"] = JsonNode.Parse(replacements) }, "");
        var ex = Assert.Throws<ModificationException>(() => modification.Apply(Instance("1.1", "1.1.1", "1.1.1.1")))!;
        Assert.That((ex.Error, ex.Message), Is.EqualTo((error, details)));
    }

    [Test]
    public void Replace_Sequence_BuildsItems()
    {
        var modification = ModificationRequest.ParseModify(JsonNode.Parse("""
            {"Replace": {"OtherPatientIDsSequence": [{"PatientID": "A", "IssuerOfPatientID": "H"}, {}, []]}}
            """), "");
        var dataset = Instance("1.1", "1.1.1", "1.1.1.1");
        modification.Apply(dataset);
        var items = dataset.GetSequence(DicomTags.OtherPatientIDsSequence)!.Items;
        Assert.That(items.Select(i => i.Count), Is.EqualTo(new[] { 2, 0, 0 }));
        Assert.That(items[0].GetString(DicomTags.IssuerOfPatientID), Is.EqualTo("H"));
    }

    [Test]
    public void Profiles_SortTheStandardsActions()
    {
        var profile = BasicProfile.Find("2021b")!;
        Assert.That(profile.Removals, Does.Contain(DicomTags.InstitutionName), "X/Z/D");
        Assert.That(profile.Clearings, Does.Contain(DicomTags.AccessionNumber), "Z");
        Assert.That(profile.NewUids, Does.Contain(DicomTags.FrameOfReferenceUID), "U");
        Assert.That(profile.NewUids.Concat(profile.Removals).Concat(profile.Clearings),
            Has.None.AnyOf(DicomTags.PatientName, DicomTags.PatientID, DicomTags.StudyInstanceUID, DicomTags.SOPInstanceUID, DicomTags.ReferencedImageSequence));
        Assert.That(profile.RemovedRanges, Does.Contain(new TagRange(0x6000, 0x60FF, 0x3000, 0x3000)));
        Assert.That(BasicProfile.Find("2017c")!.Removals.Count, Is.LessThan(profile.Removals.Count));
        Assert.That(BasicProfile.Find("2008")!.Removals, Does.Contain(DicomTags.StudyDescription));
        Assert.That(BasicProfile.Find("2020a"), Is.Null);
    }

    [TestCase("PatientName", "(0010,0010)")]
    [TestCase("0010-0010", "(0010,0010)")]
    [TestCase("00100010", "(0010,0010)")]
    [TestCase("ReferencedImageSequence[0].(0008,1155)", "(0008,1140)[0].(0008,1155)")]
    [TestCase(" ReferencedImageSequence [ * ] . 0008,1155", "(0008,1140)[*].(0008,1155)")]
    public void Path_Parsed(string text, string expected) => Assert.That(DicomPath.Parse(text).ToString(), Is.EqualTo(expected));

    [Test]
    public void Path_MatchesItselfAndWhatItHolds()
    {
        var any = DicomPath.Parse("ReferencedImageSequence[*].ReferencedSOPInstanceUID");
        var sequence = DicomPath.Parse("ReferencedImageSequence");
        var second = DicomPath.Parse("ReferencedImageSequence[1].ReferencedSOPInstanceUID");
        (DicomTag, int)[] inFirstItem = [(DicomTags.ReferencedImageSequence, 0)];
        Assert.That(any.Matches(inFirstItem, DicomTags.ReferencedSOPInstanceUID), Is.True);
        Assert.That(second.Matches(inFirstItem, DicomTags.ReferencedSOPInstanceUID), Is.False);
        Assert.That(sequence.Matches(inFirstItem, DicomTags.ReferencedSOPClassUID), Is.True, "inside the named sequence");
        Assert.That(sequence.Matches([], DicomTags.ReferencedSOPClassUID), Is.False);
    }
}
