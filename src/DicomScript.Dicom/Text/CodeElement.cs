using System.Text;

namespace DicomScript.Dicom.Text;

/// <summary>
/// A graphic character set that an ISO 2022 escape sequence designates to G0 (bytes below 0x80) or
/// G1 (bytes from 0x80). Multi-byte sets are decoded by mapping their bytes onto the EUC form that
/// .NET's code pages understand.
/// </summary>
internal sealed class CodeElement
{

    private readonly Encoding _encoding;
    private readonly Func<byte[], byte[]>? _toEncoding;
    private readonly Func<byte[], byte[]>? _fromEncoding;

    private CodeElement(string name, bool isG1, bool isMultiByte, byte[] escapeSequence, Encoding encoding,
        Func<byte[], byte[]>? toEncoding = null, Func<byte[], byte[]>? fromEncoding = null)
    {
        Name = name;
        IsG1 = isG1;
        IsMultiByte = isMultiByte;
        EscapeSequence = escapeSequence;
        _encoding = encoding;
        _toEncoding = toEncoding;
        _fromEncoding = fromEncoding;
    }

    public string Name { get; }

    public bool IsG1 { get; }

    public bool IsMultiByte { get; }

    public byte[] EscapeSequence { get; }

    public override string ToString() => Name;

    public static CodeElement Ascii { get; } = new("ISO-IR 6", false, false, [0x1B, (byte)'(', (byte)'B'], Encoding.Latin1);

    public static CodeElement Latin1G1 { get; } = SingleByteG1(Encoding.Latin1, [0x1B, (byte)'-', (byte)'A']);

    public static CodeElement Romaji { get; } = new("JIS X 0201 romaji", false, false, [0x1B, (byte)'(', (byte)'J'], Encoding.Latin1);

    public static CodeElement Katakana { get; } = new("JIS X 0201 katakana", true, false, [0x1B, (byte)')', (byte)'I'],
        CodePages.Get(932));

    // JIS X 0208 in G0: 7-bit byte pairs; EUC-JP has the same pairs with the high bit set.
    public static CodeElement Jis0208 { get; } = new("JIS X 0208", false, true, [0x1B, (byte)'$', (byte)'B'],
        CodePages.Get(51932), SetHighBit, ClearHighBit);

    // JIS X 0212 in G0: EUC-JP writes these pairs after the single-shift byte 0x8F.
    public static CodeElement Jis0212 { get; } = new("JIS X 0212", false, true, [0x1B, (byte)'$', (byte)'(', (byte)'D'],
        CodePages.Get(20932), ToEucJp0212, FromEucJp0212);

    public static CodeElement Ksx1001 { get; } = new("KS X 1001", true, true, [0x1B, (byte)'$', (byte)')', (byte)'C'],
        CodePages.Get(51949));

    public static CodeElement Gb2312 { get; } = new("GB 2312", true, true, [0x1B, (byte)'$', (byte)')', (byte)'A'],
        CodePages.Get(936));

    public static CodeElement SingleByteG1(Encoding encoding, byte[] escape) =>
        new($"{encoding.WebName} (G1)", true, false, escape, encoding);

    private static readonly CodeElement[] Known = [Ascii, Romaji, Katakana, Jis0208, Jis0212, Ksx1001, Gb2312];

    /// <summary>The element an escape sequence at the start of <paramref name="bytes"/> designates, and its length.</summary>
    public static (CodeElement? Element, int Length) FromEscape(ReadOnlySpan<byte> bytes)
    {
        foreach (var element in Known)
        {
            if (bytes.StartsWith(element.EscapeSequence))
                return (element, element.EscapeSequence.Length);
        }

        if (bytes.Length >= 3 && bytes[1] == (byte)'-')
        {
            var term = CharacterSetTerm.Find(LatinTermByFinalByte(bytes[2]));
            if (term?.G1 is { } g1)
                return (g1, 3);
        }

        return (null, 0);
    }

    private static string LatinTermByFinalByte(byte final) => final switch
    {
        (byte)'A' => "ISO 2022 IR 100",
        (byte)'B' => "ISO 2022 IR 101",
        (byte)'C' => "ISO 2022 IR 109",
        (byte)'D' => "ISO 2022 IR 110",
        (byte)'L' => "ISO 2022 IR 144",
        (byte)'G' => "ISO 2022 IR 127",
        (byte)'F' => "ISO 2022 IR 126",
        (byte)'H' => "ISO 2022 IR 138",
        (byte)'M' => "ISO 2022 IR 148",
        (byte)'b' => "ISO 2022 IR 203",
        (byte)'T' => "ISO 2022 IR 166",
        _ => "",
    };

    public string Decode(ReadOnlySpan<byte> run) =>
        _toEncoding is null ? CodePages.DropUndefined(_encoding.GetString(run)) : _encoding.GetString(_toEncoding(run.ToArray()));

    public byte[] Encode(string text)
    {
        var bytes = _encoding.GetBytes(text);
        return _fromEncoding is null ? bytes : _fromEncoding(bytes);
    }

    /// <summary>True when the element's set has a code for <paramref name="c"/>.</summary>
    public bool CanEncode(char c)
    {
        if (IsG1 && !IsMultiByte && c < 0x80)
            return false;
        var bytes = _encoding.GetBytes([c]);
        var back = _encoding.GetString(bytes);
        if (back.Length != 1 || back[0] != c)
            return false;
        if (IsMultiByte)
            return _fromEncoding is null ? bytes.Length == 2 : _fromEncoding(bytes).Length == 2;
        return IsG1 ? bytes.Length == 1 && bytes[0] >= 0x80 : bytes.Length == 1 && bytes[0] < 0x80;
    }

    private static byte[] SetHighBit(byte[] bytes)
    {
        for (var i = 0; i < bytes.Length; i++)
            bytes[i] |= 0x80;
        return bytes;
    }

    private static byte[] ClearHighBit(byte[] bytes)
    {
        for (var i = 0; i < bytes.Length; i++)
            bytes[i] &= 0x7F;
        return bytes;
    }

    private static byte[] ToEucJp0212(byte[] pairs)
    {
        var result = new List<byte>(pairs.Length / 2 * 3);
        for (var i = 0; i + 1 < pairs.Length; i += 2)
        {
            result.Add(0x8F);
            result.Add((byte)(pairs[i] | 0x80));
            result.Add((byte)(pairs[i + 1] | 0x80));
        }

        return [.. result];
    }

    private static byte[] FromEucJp0212(byte[] euc)
    {
        var result = new List<byte>(euc.Length);
        for (var i = 0; i + 2 < euc.Length; i += 3)
        {
            if (euc[i] != 0x8F)
                return [];
            result.Add((byte)(euc[i + 1] & 0x7F));
            result.Add((byte)(euc[i + 2] & 0x7F));
        }

        return [.. result];
    }
}
