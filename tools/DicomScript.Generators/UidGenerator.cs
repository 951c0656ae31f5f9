using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace DicomScript.Generators;

/// <summary>
/// Turns the UID definitions of dcmtk's <c>dcuid.h</c> (Debian package libdcmtk-dev) into
/// <c>DicomUids.Generated.cs</c>: a constant per UID and a table that says which are transfer
/// syntaxes and which are storage SOP classes.
/// </summary>
public static partial class UidGenerator
{
    [GeneratedRegex("""^#define\s+UID_(\w+)\s+"([0-9.]+)"\s*$""")]
    private static partial Regex DefineLine();

    [GeneratedRegex(@"^//\s*(.+)$")]
    private static partial Regex SectionLine();

    public sealed record Uid(string Name, string Value, string Kind);

    public static List<Uid> Parse(string header)
    {
        var uids = new List<Uid>();
        var section = "";
        foreach (var rawLine in header.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            var sectionMatch = SectionLine().Match(line);
            if (sectionMatch.Success)
            {
                section = sectionMatch.Groups[1].Value;
                continue;
            }

            var match = DefineLine().Match(line);
            if (!match.Success)
                continue;
            var name = match.Groups[1].Value;
            var value = match.Groups[2].Value;
            if (!value.StartsWith("1.2.840.10008.", StringComparison.Ordinal) || value.EndsWith('.'))
                continue;
            uids.Add(new Uid(name, value, Classify(name, section)));
        }

        return uids;
    }

    private static string Classify(string name, string section)
    {
        if (name.EndsWith("TransferSyntax", StringComparison.Ordinal))
            return "TransferSyntax";
        var storageSection = section.Contains("Storage", StringComparison.Ordinal)
                             && !section.Contains("Commitment", StringComparison.Ordinal)
                             && !section.StartsWith("DICOMDIR", StringComparison.Ordinal);
        // Most storage classes end in "Storage"; the digital X-ray family (DX, MG, IO, breast
        // projection, intravascular OCT) comes in two flavours, "StorageForPresentation" and
        // "StorageForProcessing", both storage classes a modality sends.
        if (storageSection && (name.EndsWith("Storage", StringComparison.Ordinal) || name.Contains("StorageFor", StringComparison.Ordinal)))
            return "StorageSopClass";
        return "Other";
    }

    public static string Generate(string header)
    {
        var uids = Parse(header);
        var sb = new StringBuilder();
        sb.Append(DictionaryGenerator.Header("dcmtk's dcuid.h (Debian package libdcmtk-dev)"));
        sb.Append("namespace DicomScript.Dicom.Uids;\n\n");
        sb.Append("public static partial class DicomUids\n{\n");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var uid in uids.Where(u => names.Add(u.Name)))
            sb.Append(CultureInfo.InvariantCulture, $"    public const string {uid.Name} = \"{uid.Value}\";\n");
        sb.Append("\n    private static DicomUidInfo[] LoadTable() =>\n    [\n");
        foreach (var uid in uids)
            sb.Append(CultureInfo.InvariantCulture, $"        new(\"{uid.Value}\", \"{uid.Name}\", DicomUidKind.{uid.Kind}),\n");
        sb.Append("    ];\n}\n");
        return sb.ToString();
    }
}
