using System.Globalization;
using DicomScript.Dicom.Data;

namespace DicomScript.Server.Modification;

/// <summary>A block of tags: groups and elements each within a range (overlay and curve data).</summary>
public readonly record struct TagRange(ushort GroupFrom, ushort GroupTo, ushort ElementFrom, ushort ElementTo)
{
    public bool Contains(DicomTag tag) =>
        tag.Group >= GroupFrom && tag.Group <= GroupTo && tag.Element >= ElementFrom && tag.Element <= ElementTo;
}

/// <summary>
/// PS3.15 Table E.1-1's Basic Profile column in the editions Orthanc offers ("2008", "2017c",
/// "2021b"), read from the embedded tables under Profiles/, sorted into what the anonymizer does
/// with each attribute: X codes remove, Z and D codes empty (no dummy values are made up), U codes
/// get a new UID. The identifiers anonymization always handles itself (patient name and ID, the
/// study, series and instance UIDs) and the two X/Z/U* image reference sequences, whose UIDs are
/// remapped rather than the sequence removed, are left out of these sets.
/// </summary>
public sealed class BasicProfile
{
    public const string DefaultVersion = "2021b";

    private static readonly string[] Versions = ["2008", "2017c", "2021b"];
    private static readonly Dictionary<string, Lazy<BasicProfile>> Loaded =
        Versions.ToDictionary(v => v, v => new Lazy<BasicProfile>(() => Load(v)), StringComparer.Ordinal);

    private static readonly HashSet<DicomTag> HandledByAnonymizer =
    [
        Dicom.Dictionary.DicomTags.PatientName,
        Dicom.Dictionary.DicomTags.PatientID,
        Dicom.Dictionary.DicomTags.StudyInstanceUID,
        Dicom.Dictionary.DicomTags.SeriesInstanceUID,
        Dicom.Dictionary.DicomTags.SOPInstanceUID,
    ];

    private BasicProfile(string version) => Version = version;

    public string Version { get; }

    public HashSet<DicomTag> Removals { get; } = [];

    public HashSet<DicomTag> Clearings { get; } = [];

    public HashSet<DicomTag> NewUids { get; } = [];

    public List<TagRange> RemovedRanges { get; } = [];

    /// <summary>The profile of an edition, or null for one Orthanc does not know.</summary>
    public static BasicProfile? Find(string version) =>
        Loaded.TryGetValue(version, out var profile) ? profile.Value : null;

    private static BasicProfile Load(string version)
    {
        var profile = new BasicProfile(version);
        using var stream = typeof(BasicProfile).Assembly.GetManifestResourceStream($"basic-profile-{version}.txt")
            ?? throw new InvalidOperationException($"the basic profile {version} is not embedded");
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
                continue;
            var (tags, code) = (line[..line.IndexOf(' ', StringComparison.Ordinal)], line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
            if (tags.Contains('-', StringComparison.Ordinal))
            {
                profile.RemovedRanges.Add(ParseRange(tags));
                continue;
            }

            var tag = DicomPath.ParseTag(tags);
            if (HandledByAnonymizer.Contains(tag) || code == "X/Z/U*")
                continue;
            var target = code[0] switch
            {
                'X' => profile.Removals,
                'Z' or 'D' => profile.Clearings,
                'U' => profile.NewUids,
                _ => throw new InvalidOperationException($"basic profile {version}: unknown action {code} for {tags}"),
            };
            target.Add(tag);
        }

        return profile;
    }

    // "gggg-gggg,eeee-eeee"
    private static TagRange ParseRange(string text)
    {
        var parts = text.Split(',', '-');
        ushort Hex(int i) => ushort.Parse(parts[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        return new TagRange(Hex(0), Hex(1), Hex(2), Hex(3));
    }
}
