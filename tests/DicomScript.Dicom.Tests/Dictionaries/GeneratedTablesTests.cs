using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Dicom.Uids;
using DicomScript.Generators;
using NUnit.Framework;

namespace DicomScript.Dicom.Tests.Dictionaries;

/// <summary>The committed tables are exactly what the generator makes from the installed dcmtk files.</summary>
[TestFixture]
public class GeneratedTablesTests
{
    private static string RepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(Path.Combine(dir.FullName, "DicomScript.sln")))
                return candidate;
        }

        throw new InvalidOperationException("repository root not found");
    }

    private static string ReadSource(string path, string package)
    {
        if (!File.Exists(path))
            ExternalTools.Missing($"{path} is not installed (apt-get install {package})");
        return File.ReadAllText(path);
    }

    [Test]
    public void Dictionary_Regenerated_EqualsCommitted()
    {
        var generated = DictionaryGenerator.GenerateDictionary(
            ReadSource(SourceFiles.DicomDic, "libdcmtk17"), ReadSource(SourceFiles.PrivateDic, "libdcmtk17"));
        Assert.That(File.ReadAllText(RepositoryFile(SourceFiles.DictionaryOutput)), Is.EqualTo(generated));
    }

    [Test]
    public void Tags_Regenerated_EqualsCommitted()
    {
        var generated = DictionaryGenerator.GenerateTags(ReadSource(SourceFiles.DicomDic, "libdcmtk17"));
        Assert.That(File.ReadAllText(RepositoryFile(SourceFiles.TagsOutput)), Is.EqualTo(generated));
    }

    [Test]
    public void Uids_Regenerated_EqualsCommitted()
    {
        var generated = UidGenerator.Generate(ReadSource(SourceFiles.UidHeader, "libdcmtk-dev"));
        Assert.That(File.ReadAllText(RepositoryFile(SourceFiles.UidsOutput)), Is.EqualTo(generated));
    }

    [TestCase(0x00100010u, "PatientName", "PN")]
    [TestCase(0x0020000Du, "StudyInstanceUID", "UI")]
    [TestCase(0x7FE00010u, "PixelData", "OW")]
    [TestCase(0x00280106u, "SmallestImagePixelValue", "US")]
    [TestCase(0x60023000u, "OverlayData", "OW")]
    [TestCase(0x00203104u, "RETIRED_SourceImageIDs", "CS")]
    public void Find_PublicTag_KeywordAndVRAsDcmtk(uint tag, string keyword, string vr)
    {
        var entry = DicomDictionary.Find(new DicomTag(tag));
        Assert.That(entry, Is.Not.Null);
        Assert.That(entry!.Keyword, Is.EqualTo(keyword));
        Assert.That(entry.DefaultVR.Code, Is.EqualTo(vr));
    }

    [Test]
    public void Find_OddGroupInEvenRange_NotFound()
    {
        // (6000-60FF,3000) covers even groups only.
        Assert.That(DicomDictionary.Find(new DicomTag(0x6001, 0x3000))?.Keyword, Is.Not.EqualTo("OverlayData"));
    }

    [Test]
    public void FindPrivate_GeTag_NameFromPrivateDictionary()
    {
        var entry = DicomDictionary.FindPrivate(new DicomTag(0x0043, 0x1028), "GEMS_PARM_01");
        Assert.That(entry?.Keyword, Is.EqualTo("UniqueImageIdentifier"));
        var otherBlock = DicomDictionary.FindPrivate(new DicomTag(0x0043, 0x1128), "GEMS_PARM_01");
        Assert.That(otherBlock?.Keyword, Is.EqualTo("UniqueImageIdentifier"), "the block number does not matter");
    }

    [Test]
    public void TryFindTag_Keyword_Tag()
    {
        Assert.That(DicomDictionary.TryFindTag("SOPInstanceUID", out var tag), Is.True);
        Assert.That(tag, Is.EqualTo(DicomTags.SOPInstanceUID));
        Assert.That(tag.ToString(), Is.EqualTo("0008,0018"));
    }

    [Test]
    public void Uids_StorageAndTransferSyntaxes_Classified()
    {
        Assert.That(DicomUids.IsStorageSopClass("1.2.840.10008.5.1.4.1.1.2"), Is.True, "CT Image Storage");
        Assert.That(DicomUids.IsStorageSopClass(DicomUids.VerificationSOPClass), Is.False);
        Assert.That(DicomUids.Find("1.2.840.10008.1.2.4.50")?.Kind, Is.EqualTo(DicomUidKind.TransferSyntax));
        Assert.That(DicomUids.StorageSopClasses.Count(), Is.GreaterThan(150));
    }

    [Test]
    public void Uids_EveryClassOfDcmtksAllDicomStorageProfile_IsStorage()
    {
        // storescp's configuration lists, in its "AllDICOM" profile, every storage SOP class dcmtk
        // knows (and Verification). The DX, MG and IO classes end in "StorageForPresentation" or
        // "StorageForProcessing" and were once missed, so modalities could not send them.
        var profile = StorescpProfileClasses(ReadSource("/etc/dcmtk/storescp.cfg", "dcmtk"), "AllDICOMStorageSCP")
            .Where(name => name != "VerificationSOPClass").ToList();
        var ours = DicomUids.All.Where(u => u.Kind == DicomUidKind.StorageSopClass).Select(u => u.Name).ToHashSet();
        Assert.That(profile, Has.Count.GreaterThan(100).And.Contains("DigitalXRayImageStorageForPresentation"));
        Assert.That(profile.Where(name => !ours.Contains(name)), Is.Empty);
    }

    // The SOP class names of a section's "PresentationContextN = Name\Syntaxes" lines.
    private static IEnumerable<string> StorescpProfileClasses(string config, string section)
    {
        var inSection = false;
        foreach (var line in config.Split('\n').Select(l => l.Trim()))
        {
            if (line.StartsWith('['))
                inSection = line == $"[{section}]";
            else if (inSection && line.StartsWith("PresentationContext", StringComparison.Ordinal) && line.Split('=') is [_, var value])
                yield return value.Trim().Split('\\')[0];
        }
    }

    [Test]
    public void AllVRs_OfTheStandard_Present()
    {
        Assert.That(DicomVR.All.Select(v => v.Code), Is.SupersetOf(new[] { "OV", "SV", "UV", "UC", "UR", "OL", "OD" }));
        Assert.That(DicomVR.All, Has.Count.EqualTo(34));
    }
}
