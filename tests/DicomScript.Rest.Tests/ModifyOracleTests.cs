using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.Display;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Rest.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Rest.Tests;

/// <summary>
/// Modify and anonymize against the real Orthanc 1.10.1, both holding the same files: a CT, an MR
/// with private tags, a file with nested private sequences, an RT structure set (references to
/// remap), an SR (deep content sequences) and a four-instance CT series. Every request goes to
/// both: the files answered, the resources the jobs create, and every error must be the same,
/// generated identifiers aside (compared by where they appear, not by value).
/// </summary>
[TestFixture]
[NonParallelizable]
public partial class ModifyOracleTests
{
    private const string Ct = "test_files/CT_small.dcm";
    private const string Mr = "test_files/MR_small.dcm";
    private const string PrivateMr = "MR_small.dcm with private tags";
    private const string RtStruct = "test_files/rtstruct.dcm";
    private const string Sr = "test_files/test-SR.dcm";
    private static readonly string[] CtSeries = [.. new[] { "17106", "17136", "17166", "17196" }.Select(f => "test_files/dicomdirtests/77654033/CT2/" + f)];
    private static readonly string[] MrSeries = [.. new[] { "15820", "4919", "5641" }.Select(f => "test_files/dicomdirtests/98892003/MR1/" + f)];

    private UploadedFiles? _uploaded;
    private OrthancServer? _orthanc;
    private RestArchive? _ours;

    [OneTimeSetUp]
    public async Task StartBoth()
    {
        if (ExternalTools.Find("/usr/sbin/Orthanc") is null || !Directory.Exists(PydicomCorpus.TestFiles))
            return;
        _orthanc = OrthancServer.Start();
        _ours = await RestArchive.StartAsync();
        _uploaded = await UploadedFiles.ToBothAsync(_orthanc, _ours, [Ct, Mr, RtStruct, Sr, .. CtSeries, .. MrSeries]);
        _privateMrId = _orthanc.Upload(MrWithPrivateTags()).Id;
        using var content = new ByteArrayContent(MrWithPrivateTags());
        using var response = await _ours.Http.PostAsync("instances", content);
        Assert.That(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["ID"]!.GetValue<string>(), Is.EqualTo(_privateMrId));
        _originals.UnionWith([.. new[] { Ct, Mr, RtStruct, Sr }.Concat(CtSeries).Concat(MrSeries).Select(f => _uploaded.Id(f)), _privateMrId!]);
    }

    private readonly HashSet<string> _originals = [];
    private string? _privateMrId;

    private string InstanceId(string file) => file == PrivateMr ? _privateMrId! : _uploaded!.Id(file);

    /// <summary>
    /// The corpus has no MR with private tags: MR_small with Siemens' private header elements, an
    /// own private sequence holding private and public tags, and private tags inside a public
    /// sequence, made at run time.
    /// </summary>
    private static byte[] MrWithPrivateTags()
    {
        var file = DicomFile.Open(PydicomCorpus.FullPath(Mr));
        var dataset = file.Dataset;
        dataset.AddString(DicomTags.SOPInstanceUID, DicomVR.UI, "1.2.826.0.1.3680043.2.1125.777.1");
        dataset.AddString(new DicomTag(0x0019, 0x0010), DicomVR.LO, "SIEMENS MR HEADER");
        dataset.AddUInt16(new DicomTag(0x0019, 0x100A), 20);
        dataset.AddString(new DicomTag(0x0019, 0x100B), DicomVR.DS, "1.5");
        dataset.AddString(new DicomTag(0x0029, 0x0010), DicomVR.LO, "SIEMENS CSA HEADER");
        dataset.AddString(new DicomTag(0x0029, 0x1008), DicomVR.CS, "IMAGE NUM 4");
        dataset.AddBytes(new DicomTag(0x0029, 0x1010), DicomVR.OB, new byte[] { 1, 2, 3, 4 });
        var privateItem = new DicomDataset()
            .AddString(new DicomTag(0x0011, 0x0010), DicomVR.LO, "ACME")
            .AddString(new DicomTag(0x0011, 0x1002), DicomVR.LO, "inner private")
            .AddString(DicomTags.PatientName, DicomVR.PN, "Inner^Name")
            .AddString(DicomTags.StudyInstanceUID, DicomVR.UI, dataset.GetString(DicomTags.StudyInstanceUID)!);
        dataset.AddString(new DicomTag(0x0011, 0x0010), DicomVR.LO, "ACME");
        dataset.Add(new DicomSequence(new DicomTag(0x0011, 0x1001), [privateItem]));
        var reference = new DicomDataset()
            .AddString(new DicomTag(0x0009, 0x0010), DicomVR.LO, "ACME")
            .AddString(new DicomTag(0x0009, 0x1001), DicomVR.LO, "private in public")
            .AddString(DicomTags.ReferencedSOPClassUID, DicomVR.UI, dataset.GetString(DicomTags.SOPClassUID)!)
            .AddString(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, "1.2.826.0.1.3680043.2.1125.777.2")
            .AddString(DicomTags.InstitutionName, DicomVR.LO, "Inner Hospital");
        dataset.Add(new DicomSequence(DicomTags.ReferencedImageSequence, [reference]));
        return DicomWriter.ToBytes(file, DicomTransferSyntax.ExplicitVRLittleEndian);
    }

    [OneTimeTearDown]
    public async Task StopBoth()
    {
        if (_ours is not null)
            await _ours.DisposeAsync();
        _orthanc?.Dispose();
    }

    private (HttpClient Ours, HttpClient Theirs) Clients()
    {
        ExternalTools.Require("/usr/sbin/Orthanc", "orthanc");
        PydicomCorpus.Require();
        return (_ours!.Http, _orthanc!.Http);
    }

    private string Expand(string text) => text
        .Replace("{CT}", _uploaded!.Id(Ct), StringComparison.Ordinal)
        .Replace("{MR}", _uploaded.Id(Mr), StringComparison.Ordinal)
        .Replace("{CTSeries}", _uploaded.Id(CtSeries[0], "ParentSeries"), StringComparison.Ordinal)
        .Replace("{CTStudy}", _uploaded.Id(CtSeries[0], "ParentStudy"), StringComparison.Ordinal)
        .Replace("{CTPatient}", _uploaded.Id(CtSeries[0], "ParentPatient"), StringComparison.Ordinal)
        .Replace("{MRSeries}", _uploaded.Id(MrSeries[0], "ParentSeries"), StringComparison.Ordinal)
        .Replace("{SRStudy}", _uploaded.Id(Sr, "ParentStudy"), StringComparison.Ordinal);

    private static readonly string[] InstanceFiles = [Ct, Mr, PrivateMr, RtStruct, Sr];

    private static readonly string[] InstanceBodies =
    [
        "anonymize {}",
        "anonymize {\"KeepPrivateTags\": true}",
        "anonymize {\"DicomVersion\": \"2017c\"}",
        "anonymize {\"DicomVersion\": \"2008\"}",
        "anonymize {\"Keep\": [\"StudyDescription\", \"SeriesDescription\"], \"Replace\": {\"PatientName\": \"hello\", \"0010-0020\": \"world\"}, \"Remove\": [\"Modality\"], \"Force\": true}",
        "anonymize {\"Keep\": [\"ReferencedImageSequence\", \"ContentSequence\"]}",
        "modify {\"Replace\": {\"InstitutionName\": \"My clinic\", \"Rows\": \"12\", \"ReferencedStudySequence\": [{\"ReferencedSOPClassUID\": \"1.2\", \"ReferencedSOPInstanceUID\": \"1.2.3\"}, {}]}}",
        "modify {\"RemovePrivateTags\": true}",
        "modify {\"Remove\": [\"PatientName\", \"ReferencedImageSequence[0].ReferencedSOPClassUID\"], \"Replace\": {\"ReferencedImageSequence[*].ReferencedSOPInstanceUID\": \"9.9\"}}",
        "modify {\"Replace\": {\"PatientID\": \"newid\"}, \"Force\": true}",
        "modify {\"Replace\": {\"SeriesInstanceUID\": \"1.2.3\"}, \"Force\": true}",
        // (A replaced private creator is LO here, UN in Orthanc: README, "Where we differ".)
        "modify {\"Keep\": [\"SOPInstanceUID\"], \"Force\": true, \"Replace\": {\"0019,1010\": \"private\"}}",
        "modify {\"Replace\": {\"0019,100a\": \"7\"}, \"PrivateCreator\": \"SIEMENS MR HEADER\"}",
    ];

    private static IEnumerable<TestCaseData> InstanceCases() =>
        from file in InstanceFiles from body in InstanceBodies select new TestCaseData(file, body).SetName($"{{m}}({Path.GetFileName(file)}, {body})");

    [TestCaseSource(nameof(InstanceCases))]
    public async Task Instance_SameFileAsOrthanc(string file, string request)
    {
        var (ours, theirs) = Clients();
        var (action, body) = (request[..request.IndexOf(' ', StringComparison.Ordinal)], request[(request.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
        var path = $"instances/{InstanceId(file)}/{action}";
        var instancesBefore = CorpusPair.Ids(await CorpusPair.GetJsonAsync(ours, "instances"));
        using var ourResponse = await ours.SendAsync(CorpusPair.Post(path, body));
        using var theirResponse = await theirs.SendAsync(CorpusPair.Post(path, body));
        Assert.That(ourResponse.StatusCode, Is.EqualTo(theirResponse.StatusCode), await ourResponse.Content.ReadAsStringAsync());
        if (theirResponse.StatusCode != HttpStatusCode.OK)
        {
            Assert.That(ErrorDifferences(await ourResponse.Content.ReadAsStringAsync(), await theirResponse.Content.ReadAsStringAsync()), Is.Empty);
            return;
        }

        Assert.That(ourResponse.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/dicom"));
        var ourFile = await ourResponse.Content.ReadAsByteArrayAsync();
        Assert.That(Normalized(ourFile), Is.EqualTo(Normalized(await theirResponse.Content.ReadAsByteArrayAsync())));
        Assert.That(CorpusPair.Ids(await CorpusPair.GetJsonAsync(ours, "instances")), Is.EquivalentTo(instancesBefore), "nothing stored");

        // dcmtk reads what we wrote, and finds the meta group in line with the dataset.
        var written = WriteTemporary(ourFile);
        var (_, dump, _) = ExternalTools.Run(ExternalTools.Require("dcmdump", "dcmtk"), ["-q", "+P", "0002,0003", "+P", "0008,0018", written]);
        File.Delete(written);
        var uids = UidInBrackets().Matches(dump).Select(m => m.Groups[1].Value).ToList();
        Assert.That(uids, Has.Count.EqualTo(2), dump);
        Assert.That(uids[0], Is.EqualTo(uids[1]), "MediaStorageSOPInstanceUID follows SOPInstanceUID");
    }

    [TestCase("instances/{CT}/modify", "")]
    [TestCase("instances/{CT}/modify", "[]")]
    [TestCase("instances/{CT}/modify", "not json")]
    [TestCase("instances/{CT}/modify", """{"Force": 1}""")]
    [TestCase("instances/{CT}/modify", """{"Replace": {"PatientName": 1}}""")]
    [TestCase("instances/{CT}/modify", """{"Replace": {"PatientName": [{}]}}""")]
    [TestCase("instances/{CT}/modify", """{"Replace": {"ReferencedStudySequence": [3]}}""")]
    [TestCase("instances/{CT}/modify", """{"Replace": {"ReferencedStudySequence": [{"Nope": "x"}]}}""")]
    [TestCase("instances/{CT}/modify", """{"Replace": {"Rows": "abc"}}""")]
    [TestCase("instances/{CT}/modify", """{"Replace": {"SOPInstanceUID": []}, "Force": true}""")]
    [TestCase("instances/{CT}/modify", """{"Replace": {"PatientID": "a"}}""")]
    [TestCase("instances/{CT}/modify", """{"Remove": ["StudyInstanceUID"], "Force": true}""")]
    [TestCase("instances/{CT}/modify", """{"Remove": ["Nope"]}""")]
    [TestCase("instances/{CT}/modify", """{"Remove": ["(0010,0010"]}""")]
    [TestCase("instances/{CT}/modify", """{"Remove": ["a[0.PatientName"]}""")]
    [TestCase("instances/{CT}/modify", """{"Remove": ["ReferencedImageSequence[x].PatientName"]}""")]
    [TestCase("instances/{CT}/modify", """{"Replace": []}""")]
    [TestCase("instances/{CT}/modify", """{"Remove": "x"}""")]
    [TestCase("instances/{CT}/modify", """{"Keep": [1]}""")]
    [TestCase("instances/{CT}/modify", """{"PrivateCreator": 1}""")]
    [TestCase("instances/{CT}/modify", """{"Transcode": 1}""")]
    [TestCase("instances/{CT}/modify", """{"Transcode": "1.2.3"}""")]
    [TestCase("instances/{CT}/anonymize", """{"DicomVersion": "1999"}""")]
    [TestCase("instances/{CT}/anonymize", """{"DicomVersion": 1999}""")]
    [TestCase("instances/{CT}/anonymize", "[]")]
    [TestCase("instances/aaaaaaaa-aaaaaaaa-aaaaaaaa-aaaaaaaa-aaaaaaaa/modify", "{}")]
    [TestCase("patients/{CT}/modify", "{}")]
    [TestCase("patients/{CTPatient}/modify", """{"Replace": {"InstitutionName": "x"}}""")]
    [TestCase("studies/{CTStudy}/modify", """{"Replace": {"PatientID": "x"}, "Force": true}""")]
    [TestCase("series/{CTSeries}/modify", """{"Replace": {"StudyInstanceUID": "1.2"}, "Force": true}""")]
    [TestCase("studies/aaaaaaaa-aaaaaaaa-aaaaaaaa-aaaaaaaa-aaaaaaaa/modify", "{}")]
    [TestCase("series/{CTSeries}/modify", """{"Permissive": 3}""")]
    [TestCase("series/{CTSeries}/modify", """{"KeepSource": "no"}""")]
    [TestCase("series/{CTSeries}/modify", """{"Transcode": "1.2.3"}""")]
    [TestCase("series/{CTSeries}/modify", """{"Synchronous": "yes"}""")]
    [TestCase("series/{CTSeries}/anonymize", """{"DicomVersion": "1999"}""")]
    [TestCase("series/{CTSeries}/anonymize", "not json")]
    [TestCase("tools/bulk-modify", """{"Resources": "x"}""")]
    [TestCase("tools/bulk-modify", """{"Resources": ["{CT}"], "Level": "Nope"}""")]
    [TestCase("tools/bulk-modify", """{"Resources": ["aaaaaaaa-aaaaaaaa-aaaaaaaa-aaaaaaaa-aaaaaaaa"]}""")]
    [TestCase("tools/bulk-anonymize", """{"Replace": {"PatientID": "x"}}""")]
    public async Task Refused_SameErrorAsOrthanc(string path, string body)
    {
        var (ours, theirs) = Clients();
        await CorpusPair.AssertSameAnswerAsync(ours, theirs, () => CorpusPair.Post(Expand(path), body));
    }

    // Error bodies: the same JSON, except that ours may add Details Orthanc leaves out (README).
    private static IEnumerable<string> ErrorDifferences(string ours, string theirs) =>
        JsonDiff.Differences(JsonNode.Parse(ours), JsonNode.Parse(theirs)).Where(d => !d.StartsWith("/Details: not in theirs", StringComparison.Ordinal));

    private static string WriteTemporary(byte[] bytes)
    {
        var path = Path.Combine(Path.GetTempPath(), $"modified-{Guid.NewGuid():N}.dcm");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>
    /// The dataset as our dump lists it, with the generated values (Orthanc's 1.2.276.0.7230010.3.1
    /// UIDs, our 2.25 ones, random patient IDs) replaced by where they first appear, the running
    /// number of "AnonymizedN" names and the software named in DeidentificationMethod left out.
    /// </summary>
    internal static List<string> Normalized(byte[] bytes)
    {
        var dump = DicomDumper.Dump(DicomFile.Parse(bytes), 0);
        var tokens = new Dictionary<string, string>();
        var lines = new List<string>();
        foreach (var line in dump[dump.IndexOf("# Dicom-Data-Set", StringComparison.Ordinal)..].Split('\n').Skip(2))
        {
            var text = Generated().Replace(line, m =>
            {
                if (!tokens.TryGetValue(m.Value, out var token))
                    tokens[m.Value] = token = $"<generated {tokens.Count}>";
                return token;
            });
            text = Anonymized().Replace(text, "AnonymizedN");
            text = Software().Replace(text, "(software) - PS");
            lines.Add(LengthColumn().Replace(text, "#"));
        }

        return lines;
    }

    [GeneratedRegex(@"1\.2\.276\.0\.7230010\.3\.1\.[0-9.]+|2\.25\.[0-9]+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Generated();

    [GeneratedRegex(@"Anonymized[0-9]+")]
    private static partial Regex Anonymized();

    [GeneratedRegex(@"(Orthanc 1\.10\.1|DicomScript) - PS")]
    private static partial Regex Software();

    [GeneratedRegex(@"#\s*\S+,")]
    private static partial Regex LengthColumn();

    [GeneratedRegex(@"\[([0-9.]+)\]")]
    private static partial Regex UidInBrackets();
}
