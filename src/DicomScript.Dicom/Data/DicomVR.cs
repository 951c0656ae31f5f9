namespace DicomScript.Dicom.Data;

/// <summary>
/// A value representation: two ASCII letters packed in 16 bits, as they appear on the wire in
/// explicit-VR encodings. Properties come from one static table, so the struct stays 2 bytes.
/// </summary>
public readonly record struct DicomVR
{
    private readonly ushort _code;

    private DicomVR(char first, char second) => _code = (ushort)((first << 8) | second);

    private DicomVR(ushort code) => _code = code;

    /// <summary>The two-letter code, e.g. <c>PN</c>.</summary>
    public string Code => new([(char)(_code >> 8), (char)(_code & 0xFF)]);

    public override string ToString() => Code;

    private VRInfo Info => VRTable.Get(_code);

    /// <summary>True for a VR of this standard (not a placeholder such as "unknown VR bytes").</summary>
    public bool IsKnown => Info.Kind != VRKind.Unknown;

    /// <summary>True for VRs whose value is text (AE, AS, CS, DA, DS, DT, IS, LO, LT, PN, SH, ST, TM, UC, UI, UR, UT).</summary>
    public bool IsString => Info.Kind is VRKind.Text or VRKind.SingleText;

    /// <summary>True for text VRs decoded with the Specific Character Set (the others are ASCII).</summary>
    public bool IsCharacterSetSensitive => this == SH || this == LO || this == ST || this == LT
                                           || this == UC || this == UT || this == PN;

    /// <summary>True for text VRs that never hold several values (LT, ST, UT, UR): a backslash is data.</summary>
    public bool IsSingleValuedText => Info.Kind == VRKind.SingleText;

    /// <summary>True for fixed-size binary numbers (US, SS, UL, SL, FL, FD, AT, SV, UV) and the O* VRs.</summary>
    public bool IsBinary => Info.Kind is VRKind.Number or VRKind.Bulk;

    /// <summary>True for OB, OD, OF, OL, OV, OW and UN: bulk data, never split into values.</summary>
    public bool IsBulk => Info.Kind == VRKind.Bulk;

    /// <summary>Size in bytes of one value of a binary VR (1 for OB/UN); 0 for text and SQ.</summary>
    public int ValueSize => Info.ValueSize;

    /// <summary>
    /// True when explicit-VR encodings use the 2 reserved bytes + 32-bit length form
    /// (OB, OD, OF, OL, OV, OW, SQ, SV, UC, UN, UR, UT, UV).
    /// </summary>
    public bool HasLongLength => Info.LongLength;

    /// <summary>The byte that pads a value to even length: NUL for UI and binary VRs, space for text.</summary>
    public byte PaddingByte => Info.Kind is VRKind.Text or VRKind.SingleText && this != UI ? (byte)' ' : (byte)0;

    /// <summary>Reads a VR from the two bytes of an explicit-VR header. Unknown letters keep their code.</summary>
    public static DicomVR FromBytes(byte first, byte second) => new((ushort)((first << 8) | second));

    /// <summary>Parses a two-letter code; false when it is not a VR of the standard.</summary>
    public static bool TryParse(ReadOnlySpan<char> code, out DicomVR vr)
    {
        vr = default;
        if (code.Length != 2 || code[0] > 0x7F || code[1] > 0x7F)
            return false;
        vr = new DicomVR(code[0], code[1]);
        return vr.IsKnown;
    }

    /// <summary>Parses a two-letter code or throws <see cref="ArgumentException"/>.</summary>
    public static DicomVR Parse(string code) =>
        TryParse(code, out var vr) ? vr : throw new ArgumentException($"'{code}' is not a DICOM VR", nameof(code));

    /// <summary>The two bytes written in an explicit-VR header.</summary>
    public (byte First, byte Second) Bytes => ((byte)(_code >> 8), (byte)_code);

    internal ushort RawCode => _code;

    public static readonly DicomVR None;
    public static readonly DicomVR AE = new('A', 'E');
    public static readonly DicomVR AS = new('A', 'S');
    public static readonly DicomVR AT = new('A', 'T');
    public static readonly DicomVR CS = new('C', 'S');
    public static readonly DicomVR DA = new('D', 'A');
    public static readonly DicomVR DS = new('D', 'S');
    public static readonly DicomVR DT = new('D', 'T');
    public static readonly DicomVR FD = new('F', 'D');
    public static readonly DicomVR FL = new('F', 'L');
    public static readonly DicomVR IS = new('I', 'S');
    public static readonly DicomVR LO = new('L', 'O');
    public static readonly DicomVR LT = new('L', 'T');
    public static readonly DicomVR OB = new('O', 'B');
    public static readonly DicomVR OD = new('O', 'D');
    public static readonly DicomVR OF = new('O', 'F');
    public static readonly DicomVR OL = new('O', 'L');
    public static readonly DicomVR OV = new('O', 'V');
    public static readonly DicomVR OW = new('O', 'W');
    public static readonly DicomVR PN = new('P', 'N');
    public static readonly DicomVR SH = new('S', 'H');
    public static readonly DicomVR SL = new('S', 'L');
    public static readonly DicomVR SQ = new('S', 'Q');
    public static readonly DicomVR SS = new('S', 'S');
    public static readonly DicomVR ST = new('S', 'T');
    public static readonly DicomVR SV = new('S', 'V');
    public static readonly DicomVR TM = new('T', 'M');
    public static readonly DicomVR UC = new('U', 'C');
    public static readonly DicomVR UI = new('U', 'I');
    public static readonly DicomVR UL = new('U', 'L');
    public static readonly DicomVR UN = new('U', 'N');
    public static readonly DicomVR UR = new('U', 'R');
    public static readonly DicomVR US = new('U', 'S');
    public static readonly DicomVR UT = new('U', 'T');
    public static readonly DicomVR UV = new('U', 'V');

    /// <summary>Every VR of the current standard.</summary>
    public static IReadOnlyList<DicomVR> All { get; } =
    [
        AE, AS, AT, CS, DA, DS, DT, FD, FL, IS, LO, LT, OB, OD, OF, OL, OV, OW, PN,
        SH, SL, SQ, SS, ST, SV, TM, UC, UI, UL, UN, UR, US, UT, UV,
    ];
}
