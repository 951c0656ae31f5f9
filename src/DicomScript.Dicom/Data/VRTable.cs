namespace DicomScript.Dicom.Data;

internal enum VRKind : byte
{
    Unknown,
    Text,
    SingleText,
    Number,
    Bulk,
    Sequence,
}

internal readonly record struct VRInfo(VRKind Kind, byte ValueSize, bool LongLength);

/// <summary>
/// Properties of each VR, by its packed two-letter code: a flat array over the two capital letters
/// (every element read or written asks, several times).
/// </summary>
internal static class VRTable
{
    private static readonly VRInfo[] Table = Build();

    public static VRInfo Get(ushort code)
    {
        // Unsigned arithmetic: a letter outside A-Z wraps to a large number and fails the check.
        var first = (uint)(code >> 8) - 'A';
        var second = (uint)(code & 0xFF) - 'A';
        return first < 26 && second < 26 ? Table[(first * 26) + second] : default;
    }

    private static VRInfo[] Build()
    {
        var table = new VRInfo[26 * 26];
        void Add(string code, VRKind kind, byte size, bool longLength) =>
            table[((code[0] - 'A') * 26) + (code[1] - 'A')] = new VRInfo(kind, size, longLength);

        foreach (var text in new[] { "AE", "AS", "CS", "DA", "DS", "DT", "IS", "LO", "PN", "SH", "TM", "UI" })
            Add(text, VRKind.Text, 0, false);
        Add("UC", VRKind.Text, 0, true);
        Add("LT", VRKind.SingleText, 0, false);
        Add("ST", VRKind.SingleText, 0, false);
        Add("UT", VRKind.SingleText, 0, true);
        Add("UR", VRKind.SingleText, 0, true);
        Add("AT", VRKind.Number, 4, false);
        Add("US", VRKind.Number, 2, false);
        Add("SS", VRKind.Number, 2, false);
        Add("UL", VRKind.Number, 4, false);
        Add("SL", VRKind.Number, 4, false);
        Add("FL", VRKind.Number, 4, false);
        Add("FD", VRKind.Number, 8, false);
        Add("SV", VRKind.Number, 8, true);
        Add("UV", VRKind.Number, 8, true);
        Add("OB", VRKind.Bulk, 1, true);
        Add("UN", VRKind.Bulk, 1, true);
        Add("OW", VRKind.Bulk, 2, true);
        Add("OF", VRKind.Bulk, 4, true);
        Add("OL", VRKind.Bulk, 4, true);
        Add("OD", VRKind.Bulk, 8, true);
        Add("OV", VRKind.Bulk, 8, true);
        Add("SQ", VRKind.Sequence, 0, true);
        return table;
    }
}
