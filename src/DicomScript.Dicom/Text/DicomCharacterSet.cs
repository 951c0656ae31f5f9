using System.Collections.Concurrent;
using System.Text;
using DicomScript.Dicom.Data;

namespace DicomScript.Dicom.Text;

/// <summary>
/// A Specific Character Set (0008,0005): decodes the bytes of SH, LO, ST, LT, UC, UT and PN values to
/// Unicode and encodes them back. Handles the single-byte sets, UTF-8, GB18030/GBK and the ISO 2022
/// code extensions (escape sequences switching the G0 and G1 sets inside one value, PS3.5 §6.1.2.5).
/// </summary>
public sealed class DicomCharacterSet
{
    private const byte Escape = 0x1B;
    private const byte ShiftOut = 0x0E;
    private const byte ShiftIn = 0x0F;

    // A dataset looks its character set up for every text value it encodes or decodes (a C-FIND
    // answer: for each key), and the values in use are few: each is parsed once, a bounded number kept.
    private const int MostParsedKept = 64;
    private static readonly ConcurrentDictionary<string, DicomCharacterSet> Parsed = new(StringComparer.Ordinal);

    private readonly CharacterSetTerm[] _terms;

    private DicomCharacterSet(string[] definedTerms, CharacterSetTerm[] terms, string[] unknownTerms)
    {
        DefinedTerms = definedTerms;
        _terms = terms;
        UnknownTerms = unknownTerms;
        UsesCodeExtensions = terms.Any(t => t.IsIso2022);
    }

    /// <summary>
    /// The default repertoire. Strictly ASCII; bytes above 0x7F are decoded as Latin-1 (Orthanc's
    /// <c>DefaultEncoding</c> default) rather than dropped, because real modalities send them.
    /// </summary>
    public static DicomCharacterSet Default { get; } = new([], [CharacterSetTerm.Default], []);

    /// <summary>The defined terms, as given (e.g. <c>["", "ISO 2022 IR 87"]</c>).</summary>
    public IReadOnlyList<string> DefinedTerms { get; }

    /// <summary>Terms that are not recognised; text is decoded with the default repertoire instead.</summary>
    public IReadOnlyList<string> UnknownTerms { get; }

    /// <summary>True when values may contain ISO 2022 escape sequences.</summary>
    public bool UsesCodeExtensions { get; }

    /// <summary>Builds the set from the value of a (0008,0005) element (ASCII, backslash-separated).</summary>
    public static DicomCharacterSet FromElement(DicomElement element)
    {
        var value = Encoding.ASCII.GetString(element.RawValue.Span);
        if (Parsed.TryGetValue(value, out var known))
            return known;
        var parsed = Parse(value);
        if (Parsed.Count < MostParsedKept)
            Parsed.TryAdd(value, parsed);
        return parsed;
    }

    /// <summary>Parses the backslash-separated value of Specific Character Set.</summary>
    public static DicomCharacterSet Parse(string value)
    {
        var definedTerms = value.TrimEnd('\0', ' ').Split('\\').Select(t => t.Trim(' ', '\0')).ToArray();
        if (definedTerms.All(t => t.Length == 0 || t is "ISO_IR 6"))
            return Default;
        var unknown = new List<string>();
        var terms = new CharacterSetTerm[definedTerms.Length];
        for (var i = 0; i < definedTerms.Length; i++)
        {
            var term = CharacterSetTerm.Find(definedTerms[i]);
            if (term is null)
            {
                unknown.Add(definedTerms[i]);
                term = CharacterSetTerm.Default;
            }

            terms[i] = term;
        }

        return new DicomCharacterSet(definedTerms, terms, [.. unknown]);
    }

    /// <summary>Decodes a text value (padding included; the caller trims).</summary>
    public string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
            return string.Empty;
        var first = _terms[0];
        if (!UsesCodeExtensions)
            return CodePages.DropUndefined(first.WholeValue!.GetString(bytes));
        return DecodeWithEscapes(bytes, first);
    }

    // The initial state comes from the first defined term; each escape re-designates G0 or G1. Runs of
    // bytes below 0x80 decode with G0 and runs above with G1.
    private static string DecodeWithEscapes(ReadOnlySpan<byte> bytes, CharacterSetTerm first)
    {
        var sb = new StringBuilder(bytes.Length);
        var g0 = first.G0;
        var g1 = first.G1;
        var position = 0;
        while (position < bytes.Length)
        {
            if (bytes[position] == Escape)
            {
                var (element, length) = CodeElement.FromEscape(bytes[position..]);
                if (element is null)
                {
                    // An escape we do not know: keep the byte visible rather than lose data.
                    sb.Append('\u001b');
                    position++;
                }
                else
                {
                    if (element.IsG1)
                        g1 = element;
                    else
                        g0 = element;
                    position += length;
                }

                continue;
            }

            if (bytes[position] is ShiftIn or ShiftOut)
            {
                // Locking shifts are ISO 2022 controls DICOM does not use; they are not text.
                position++;
                continue;
            }

            var high = bytes[position] >= 0x80;
            var end = position;
            while (end < bytes.Length && bytes[end] is not (Escape or ShiftIn or ShiftOut) && bytes[end] >= 0x80 == high)
                end++;
            var run = bytes[position..end];
            sb.Append((high ? g1 ?? CodeElement.Latin1G1 : g0).Decode(run));
            position = end;
        }

        return sb.ToString();
    }

    /// <summary>
    /// Encodes text for a value of this character set. With code extensions, each character goes to
    /// the first code element of the defined terms that can encode it; a run in another G0 set is
    /// followed by an escape back to the initial G0 set, so delimiters are always in the initial set.
    /// </summary>
    public byte[] Encode(string text)
    {
        var first = _terms[0];
        if (!UsesCodeExtensions)
            return first.WholeValue!.GetBytes(text);

        var output = new List<byte>(text.Length * 2);
        CodeElement? designatedG1 = first.G1;
        var i = 0;
        while (i < text.Length)
        {
            var element = ChooseElement(text[i]);
            var start = i;
            while (i < text.Length && ChooseElement(text[i]) == element)
                i++;
            var run = text[start..i];
            if (element.IsG1 && element != designatedG1)
            {
                output.AddRange(element.EscapeSequence);
                designatedG1 = element;
            }
            else if (!element.IsG1 && element != first.G0)
            {
                output.AddRange(element.EscapeSequence);
            }

            output.AddRange(element.Encode(run));
            if (!element.IsG1 && element != first.G0)
                output.AddRange(first.G0.EscapeSequence);
        }

        return [.. output];
    }

    private CodeElement ChooseElement(char c)
    {
        if (c < 0x80)
            return _terms[0].G0;
        foreach (var term in _terms)
        {
            if (term.G1 is { } g1 && g1.CanEncode(c))
                return g1;
            if (term.G0.IsMultiByte && term.G0.CanEncode(c))
                return term.G0;
        }

        return _terms[0].G1 ?? _terms[0].G0;
    }
}
