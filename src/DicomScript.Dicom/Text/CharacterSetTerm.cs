using System.Text;

namespace DicomScript.Dicom.Text;

/// <summary>
/// One defined term of Specific Character Set. A term without code extensions decodes a whole value
/// with one .NET encoding; an ISO 2022 term names the code elements it designates to G0 and G1.
/// </summary>
internal sealed class CharacterSetTerm
{

    private CharacterSetTerm(string name, bool isIso2022, CodeElement g0, CodeElement? g1, Encoding? wholeValue)
    {
        Name = name;
        IsIso2022 = isIso2022;
        G0 = g0;
        G1 = g1;
        WholeValue = wholeValue;
    }

    public string Name { get; }

    public bool IsIso2022 { get; }

    public CodeElement G0 { get; }

    public CodeElement? G1 { get; }

    /// <summary>For terms without code extensions: the encoding of whole values.</summary>
    public Encoding? WholeValue { get; }

    /// <summary>The default repertoire, decoded leniently as Latin-1 (see DicomCharacterSet.Default).</summary>
    public static CharacterSetTerm Default { get; } = new("", false, CodeElement.Ascii, CodeElement.Latin1G1, Encoding.Latin1);

    private static readonly Dictionary<string, CharacterSetTerm> ByName = Build();

    public static CharacterSetTerm? Find(string name) => ByName.GetValueOrDefault(name);

    private static Dictionary<string, CharacterSetTerm> Build()
    {
        var map = new Dictionary<string, CharacterSetTerm>(StringComparer.Ordinal);

        // Single-byte sets: "ISO_IR n" without extensions, "ISO 2022 IR n" with them.
        foreach (var (ir, codePage, escape) in new (int, int, byte)[]
                 {
                     (100, 28591, (byte)'A'), (101, 28592, (byte)'B'), (109, 28593, (byte)'C'), (110, 28594, (byte)'D'),
                     (144, 28595, (byte)'L'), (127, 28596, (byte)'G'), (126, 28597, (byte)'F'), (138, 28598, (byte)'H'),
                     (148, 28599, (byte)'M'), (203, 28605, (byte)'b'), (166, 874, (byte)'T'),
                 })
        {
            var encoding = CodePages.Get(codePage);
            var g1 = CodeElement.SingleByteG1(encoding, [0x1B, (byte)'-', escape]);
            map[$"ISO_IR {ir}"] = new CharacterSetTerm($"ISO_IR {ir}", false, CodeElement.Ascii, g1, encoding);
            map[$"ISO 2022 IR {ir}"] = new CharacterSetTerm($"ISO 2022 IR {ir}", true, CodeElement.Ascii, g1, null);
        }

        map["ISO 2022 IR 6"] = new CharacterSetTerm("ISO 2022 IR 6", true, CodeElement.Ascii, null, null);

        // JIS X 0201: romaji in G0, half-width katakana in G1.
        var shiftJis = CodePages.Get(932);
        map["ISO_IR 13"] = new CharacterSetTerm("ISO_IR 13", false, CodeElement.Romaji, CodeElement.Katakana, shiftJis);
        map["ISO 2022 IR 13"] = new CharacterSetTerm("ISO 2022 IR 13", true, CodeElement.Romaji, CodeElement.Katakana, null);

        // Multi-byte sets that exist only with code extensions.
        map["ISO 2022 IR 87"] = new CharacterSetTerm("ISO 2022 IR 87", true, CodeElement.Jis0208, null, null);
        map["ISO 2022 IR 159"] = new CharacterSetTerm("ISO 2022 IR 159", true, CodeElement.Jis0212, null, null);
        map["ISO 2022 IR 149"] = new CharacterSetTerm("ISO 2022 IR 149", true, CodeElement.Ascii, CodeElement.Ksx1001, null);
        map["ISO 2022 IR 58"] = new CharacterSetTerm("ISO 2022 IR 58", true, CodeElement.Ascii, CodeElement.Gb2312, null);

        // Multi-byte sets without code extensions.
        map["ISO_IR 192"] = new CharacterSetTerm("ISO_IR 192", false, CodeElement.Ascii, null, CodePages.Get(65001));
        map["GB18030"] = new CharacterSetTerm("GB18030", false, CodeElement.Ascii, null, CodePages.Get(54936));
        map["GBK"] = new CharacterSetTerm("GBK", false, CodeElement.Ascii, null, CodePages.Get(936));
        return map;
    }
}
