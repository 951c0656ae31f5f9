using System.Globalization;
using System.Text;

namespace DicomScript.Generators;

/// <summary>
/// Turns dcmtk's <c>dicom.dic</c> and <c>private.dic</c> into the C# tables of
/// <c>DicomScript.Dicom.Dictionary</c>. The output is committed; a test regenerates it when the
/// dictionary files are installed and compares, so the two cannot drift apart silently.
/// </summary>
public static class DictionaryGenerator
{
    /// <summary>Entries per generated method: keeps each method small enough for the JIT to handle quickly.</summary>
    private const int EntriesPerMethod = 500;

    public sealed record Entry(
        ushort GroupLow, ushort GroupHigh, char GroupParity,
        ushort ElementLow, ushort ElementHigh, char ElementParity,
        string VR, string Keyword, string VM, string Version, string? Creator);

    /// <summary>Reads one dcmtk dictionary file; later lines override earlier ones, as in dcmtk.</summary>
    public static List<Entry> Parse(string text)
    {
        var entries = new List<Entry>();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#')
                continue;
            var fields = line.Split('\t', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            // A few private.dic lines omit the version column.
            if (fields.Length < 4)
                throw new FormatException($"dictionary line has {fields.Length} fields, expected 4 or 5: {line}");
            // dcmtk removes every white-space character from the VR, name and version fields (so
            // "End NumberForBaseline" is EndNumberForBaseline); a private creator keeps its spaces.
            entries.Add(ParseTag(fields[0], NoSpaces(fields[1]), NoSpaces(fields[2]), fields[3],
                fields.Length > 4 ? NoSpaces(fields[4]) : "PrivateTag"));
        }

        return entries;
    }

    private static string NoSpaces(string field) => string.Concat(field.Where(c => !char.IsWhiteSpace(c)));

    private static Entry ParseTag(string tag, string vr, string keyword, string vm, string version)
    {
        if (tag.Length < 2 || tag[0] != '(' || tag[^1] != ')')
            throw new FormatException($"bad tag field '{tag}'");
        var inner = tag[1..^1];
        var firstComma = inner.IndexOf(',', StringComparison.Ordinal);
        var lastComma = inner.LastIndexOf(',');
        var (gl, gh, gp) = ParseRange(inner[..firstComma]);
        if (firstComma != lastComma)
        {
            // Private: (gggg,"creator",ee). The element is the offset inside the creator's block.
            var creator = inner[(firstComma + 1)..lastComma].Trim('"');
            var element = (ushort)(ushort.Parse(inner[(lastComma + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture) & 0xFF);
            return new Entry(gl, gh, gp, element, element, 'e', vr, keyword, vm, version, creator);
        }

        var (el, eh, ep) = ParseRange(inner[(firstComma + 1)..]);
        return new Entry(gl, gh, gp, el, eh, ep, vr, keyword, vm, version, null);
    }

    // "0010", "6000-60FF" (even numbers), "6001-o-60FF" (odd), "0000-u-FFFF" (any).
    private static (ushort Low, ushort High, char Parity) ParseRange(string text)
    {
        var parts = text.Split('-');
        ushort Hex(string s) => ushort.Parse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return parts.Length switch
        {
            1 => (Hex(parts[0]), Hex(parts[0]), 'e'),
            2 => (Hex(parts[0]), Hex(parts[1]), 'e'),
            3 => (Hex(parts[0]), Hex(parts[2]), parts[1] == "o" ? 'o' : 'u'),
            _ => throw new FormatException($"bad range '{text}'"),
        };
    }

    /// <summary>The generated <c>DicomDictionary.Generated.cs</c>.</summary>
    public static string GenerateDictionary(string dicomDic, string privateDic)
    {
        var publicEntries = Parse(dicomDic);
        var privateEntries = Parse(privateDic);
        var sb = new StringBuilder();
        sb.Append(Header("dcmtk's dicom.dic and private.dic (Debian package libdcmtk17)"));
        sb.Append("namespace DicomScript.Dicom.Dictionary;\n\n");
        sb.Append("public static partial class DicomDictionary\n{\n");
        AppendChunks(sb, "Public", publicEntries);
        AppendChunks(sb, "Private", privateEntries);
        sb.Append("}\n");
        return sb.ToString();
    }

    private static void AppendChunks(StringBuilder sb, string name, List<Entry> entries)
    {
        var chunks = entries.Chunk(EntriesPerMethod).ToList();
        sb.Append(CultureInfo.InvariantCulture, $"    private static List<DicomDictionaryEntry> Load{name}Entries()\n    {{\n");
        sb.Append(CultureInfo.InvariantCulture, $"        var entries = new List<DicomDictionaryEntry>({entries.Count});\n");
        for (var i = 0; i < chunks.Count; i++)
            sb.Append(CultureInfo.InvariantCulture, $"        {name}{i}(entries);\n");
        sb.Append("        return entries;\n    }\n");
        for (var i = 0; i < chunks.Count; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"\n    private static void {name}{i}(List<DicomDictionaryEntry> e)\n    {{\n");
            foreach (var entry in chunks[i])
                sb.Append("        e.Add(").Append(Format(entry)).Append(");\n");
            sb.Append("    }\n");
        }

        sb.Append('\n');
    }

    // Three compact shapes keep the generated file small: S for a single public tag, X for a
    // private tag, R for a repeating range (see DicomDictionary.Factories.cs).
    private static string Format(Entry e)
    {
        static string P(char parity) => parity switch { 'o' => "RangeParity.Odd", 'u' => "RangeParity.Any", _ => "RangeParity.Even" };
        if (e.Creator is not null && e.GroupLow == e.GroupHigh)
        {
            var version = e.Version == "PrivateTag" ? "" : ", " + Quote(e.Version);
            return string.Create(CultureInfo.InvariantCulture,
                $"X(0x{e.GroupLow:X4}, {Quote(e.Creator)}, 0x{e.ElementLow:X2}, {Quote(e.VR)}, {Quote(e.Keyword)}, {Quote(e.VM)}{version})");
        }

        if (e.Creator is null && e.GroupLow == e.GroupHigh && e.ElementLow == e.ElementHigh)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"S(0x{e.GroupLow:X4}{e.ElementLow:X4}, {Quote(e.VR)}, {Quote(e.Keyword)}, {Quote(e.VM)}, {Quote(e.Version)})");
        }

        var creator = e.Creator is null ? "null" : Quote(e.Creator);
        return string.Create(CultureInfo.InvariantCulture,
            $"R(0x{e.GroupLow:X4}, 0x{e.GroupHigh:X4}, {P(e.GroupParity)}, 0x{e.ElementLow:X4}, 0x{e.ElementHigh:X4}, {P(e.ElementParity)}, {Quote(e.VR)}, {Quote(e.Keyword)}, {Quote(e.VM)}, {Quote(e.Version)}, {creator})");
    }

    /// <summary>
    /// The generated <c>DicomTags.Generated.cs</c>: a named constant for every single-tag, non-retired
    /// public entry, so code says <c>DicomTags.PatientName</c> instead of a number.
    /// </summary>
    public static string GenerateTags(string dicomDic)
    {
        var sb = new StringBuilder();
        sb.Append(Header("dcmtk's dicom.dic (Debian package libdcmtk17)"));
        sb.Append("using DicomScript.Dicom.Data;\n\nnamespace DicomScript.Dicom.Dictionary;\n\n");
        sb.Append("/// <summary>Named tags of the standard dictionary (generated; retired and repeating-group tags are left out).</summary>\n");
        sb.Append("public static partial class DicomTags\n{\n");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in Parse(dicomDic))
        {
            if (e.GroupLow != e.GroupHigh || e.ElementLow != e.ElementHigh || e.Keyword.StartsWith("RETIRED_", StringComparison.Ordinal)
                || !seen.Add(e.Keyword))
                continue;
            sb.Append(CultureInfo.InvariantCulture, $"    public static DicomTag {e.Keyword} => new(0x{e.GroupLow:X4}{e.ElementLow:X4});\n");
        }

        sb.Append("}\n");
        return sb.ToString();
    }

    internal static string Header(string source) =>
        "// <auto-generated>\n" +
        $"// Generated by tools/DicomScript.Generators from {source}.\n" +
        "// Do not edit: run `dotnet run --project tools/DicomScript.Generators` to regenerate.\n" +
        "// </auto-generated>\n\n";

    internal static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
