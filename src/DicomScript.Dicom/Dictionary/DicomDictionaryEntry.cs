using DicomScript.Dicom.Data;

namespace DicomScript.Dicom.Dictionary;

/// <summary>Which numbers a repeating range of the dictionary covers (dcmtk's "-", "-o-", "-u-").</summary>
public enum RangeParity : byte
{
    Even,
    Odd,
    Any,
}

/// <summary>
/// One entry of the data dictionary: a tag (or a repeating range of tags), its VR(s), VM and
/// keyword as dcmtk's <c>dicom.dic</c> / <c>private.dic</c> spell them.
/// </summary>
public sealed class DicomDictionaryEntry
{
    internal DicomDictionaryEntry(
        ushort groupLow, ushort groupHigh, RangeParity groupParity,
        ushort elementLow, ushort elementHigh, RangeParity elementParity,
        string vr, string keyword, string vm, string version, string? privateCreator)
    {
        GroupLow = groupLow;
        GroupHigh = groupHigh;
        GroupParity = groupParity;
        ElementLow = elementLow;
        ElementHigh = elementHigh;
        ElementParity = elementParity;
        DictionaryVR = vr;
        Keyword = keyword;
        ValueMultiplicity = vm;
        Version = version;
        PrivateCreator = privateCreator;
        ValueRepresentations = ExpandVR(vr);
    }

    /// <summary>
    /// An entry declared by the user (Orthanc's <c>Dictionary</c> configuration): one tag with its
    /// VR and keyword; with a private creator, it names the element in any block that creator reserves.
    /// </summary>
    public static DicomDictionaryEntry Declared(DicomTag tag, DicomVR vr, string keyword, string valueMultiplicity, string? privateCreator) =>
        new(tag.Group, tag.Group, RangeParity.Even, tag.Element, tag.Element, RangeParity.Even,
            vr.Code, keyword, valueMultiplicity, privateCreator is null ? "User" : "PrivateTag", privateCreator);

    public ushort GroupLow { get; }

    public ushort GroupHigh { get; }

    public RangeParity GroupParity { get; }

    /// <summary>The element; for a private entry only its low byte is meaningful (the block varies).</summary>
    public ushort ElementLow { get; }

    public ushort ElementHigh { get; }

    public RangeParity ElementParity { get; }

    /// <summary>The VR as the dictionary file writes it, including dcmtk's placeholders (ox, xs, lt, up, px, na).</summary>
    public string DictionaryVR { get; }

    /// <summary>The VRs an element of this tag may have; the first is used when the encoding does not say.</summary>
    public IReadOnlyList<DicomVR> ValueRepresentations { get; }

    /// <summary>The VR used for implicit-VR data, or <see cref="DicomVR.UN"/> for the item tags.</summary>
    public DicomVR DefaultVR => ValueRepresentations.Count > 0 ? ValueRepresentations[0] : DicomVR.UN;

    /// <summary>dcmtk's keyword, e.g. <c>PatientName</c>, <c>RETIRED_ImageFormat</c>.</summary>
    public string Keyword { get; }

    /// <summary>The value multiplicity, e.g. <c>1</c>, <c>1-n</c>, <c>2-2n</c>.</summary>
    public string ValueMultiplicity { get; }

    /// <summary>The dictionary's version column, e.g. <c>DICOM</c>, <c>DICOM/retired</c>, <c>PrivateTag</c>.</summary>
    public string Version { get; }

    public bool IsRetired => Version.EndsWith("/retired", StringComparison.Ordinal);

    /// <summary>The private creator string of a private entry; null for public entries.</summary>
    public string? PrivateCreator { get; }

    /// <summary>True when this entry names exactly one tag.</summary>
    public bool IsSingleTag => GroupLow == GroupHigh && ElementLow == ElementHigh;

    /// <summary>The tag of a single-tag public entry (for ranges, the first tag of the range).</summary>
    public DicomTag Tag => new(GroupLow, ElementLow);

    internal bool Covers(DicomTag tag) =>
        InRange(tag.Group, GroupLow, GroupHigh, GroupParity) && InRange(tag.Element, ElementLow, ElementHigh, ElementParity);

    private static bool InRange(ushort value, ushort low, ushort high, RangeParity parity) =>
        value >= low && value <= high && parity switch
        {
            RangeParity.Even => low == high || (value & 1) == 0,
            RangeParity.Odd => (value & 1) == 1,
            _ => true,
        };

    private static DicomVR[] ExpandVR(string vr) => vr switch
    {
        // Implicit VR data is read as OW for these (PS3.5 §A.1: pixel and overlay data are OW there).
        "ox" or "px" => [DicomVR.OW, DicomVR.OB],
        "xs" => [DicomVR.US, DicomVR.SS],
        "lt" => [DicomVR.OW, DicomVR.US, DicomVR.SS],
        "up" => [DicomVR.UL],
        "na" => [],
        _ => DicomVR.TryParse(vr, out var parsed) ? [parsed] : [DicomVR.UN],
    };
}
