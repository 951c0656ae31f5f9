namespace DicomScript.Dicom.Dictionary;

// The short constructors the generated tables call (kept out of the generator's output).
public static partial class DicomDictionary
{
    private static DicomDictionaryEntry S(uint tag, string vr, string keyword, string vm, string version) =>
        new((ushort)(tag >> 16), (ushort)(tag >> 16), RangeParity.Even, (ushort)tag, (ushort)tag, RangeParity.Even,
            vr, keyword, vm, version, null);

    private static DicomDictionaryEntry X(ushort group, string creator, byte element, string vr, string keyword, string vm,
        string version = "PrivateTag") =>
        new(group, group, RangeParity.Even, element, element, RangeParity.Even, vr, keyword, vm, version, creator);

    private static DicomDictionaryEntry R(ushort groupLow, ushort groupHigh, RangeParity groupParity,
        ushort elementLow, ushort elementHigh, RangeParity elementParity,
        string vr, string keyword, string vm, string version, string? creator) =>
        new(groupLow, groupHigh, groupParity, elementLow, elementHigh, elementParity, vr, keyword, vm, version, creator);
}
