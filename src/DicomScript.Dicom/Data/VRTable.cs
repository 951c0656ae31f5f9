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

/// <summary>Properties of each VR, indexed by its packed two-letter code.</summary>
internal static class VRTable
{
    private static readonly Dictionary<ushort, VRInfo> Table = Build();

    public static VRInfo Get(ushort code) => Table.TryGetValue(code, out var info) ? info : default;

    private static Dictionary<ushort, VRInfo> Build()
    {
        var table = new Dictionary<ushort, VRInfo>();
        void Add(string code, VRKind kind, byte size, bool longLength) =>
            table[(ushort)((code[0] << 8) | code[1])] = new VRInfo(kind, size, longLength);

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
