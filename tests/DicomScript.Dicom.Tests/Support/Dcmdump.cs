using System.Text.RegularExpressions;

namespace DicomScript.Dicom.Tests.Support;

/// <summary>One element line of dcmdump's output.</summary>
public sealed record DumpedElement(int Depth, string Tag, string VR, string? Value, int Length)
{
    /// <summary>False when dcmdump could not convert the file's text to UTF-8 and printed it unconverted.</summary>
    public bool TextIsUnicode { get; init; } = true;

    public override string ToString() => $"{new string(' ', Depth * 2)}({Tag}) {VR} [{Value}] #{Length}";
}

/// <summary>Runs dcmtk's dcmdump and parses its listing into elements (items and delimiters left out).</summary>
public static partial class Dcmdump
{
    [GeneratedRegex(@"^(?<indent> *)\((?<tag>[0-9a-f]{4},[0-9a-f]{4})\) (?<vr>[A-Za-z?]{2}) (?<value>.*?) +# +(?<len>\d+|u/l), *(?<vm>\d+) (?<name>.*)$", RegexOptions.Singleline)]
    private static partial Regex LinePattern();

    /// <summary>
    /// The dump of a file: full values (+L), raw UIDs (-Un), text converted to UTF-8 (+U8), pixel data
    /// written to files in a scratch folder instead of printed (+W).
    /// </summary>
    public static IReadOnlyList<DumpedElement> Read(string path)
    {
        var dcmdump = ExternalTools.Require("dcmdump", "dcmtk");
        var scratch = Directory.CreateTempSubdirectory("dcmdump-");
        try
        {
            var (exit, output, error) = ExternalTools.Run(dcmdump, ["-q", "+L", "-Un", "+U8", "+W", scratch.FullName, path]);
            if (exit != 0 && error.Contains("character encoding", StringComparison.Ordinal))
            {
                // Debian's iconv has no ISO 2022 conversion for dcmtk: dump unconverted.
                (exit, output, error) = ExternalTools.Run(dcmdump, ["-q", "+L", "-Un", "+W", scratch.FullName, path]);
                if (exit == 0)
                    return [.. Parse(output).Select(e => e with { TextIsUnicode = false })];
            }

            if (exit != 0)
                throw new InvalidOperationException($"dcmdump failed on {path}: {error}");
            return Parse(output);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    /// <summary>True when dcmdump reads the file without error.</summary>
    public static bool Accepts(string path)
    {
        var dcmdump = ExternalTools.Require("dcmdump", "dcmtk");
        return ExternalTools.Run(dcmdump, ["-q", path]).ExitCode == 0;
    }

    public static List<DumpedElement> Parse(string output)
    {
        var elements = new List<DumpedElement>();
        foreach (var line in JoinContinuationLines(output.Split('\n')))
        {
            var match = LinePattern().Match(line);
            if (!match.Success)
                continue;
            var tag = match.Groups["tag"].Value;
            var vr = match.Groups["vr"].Value;
            if (tag.StartsWith("fffe,", StringComparison.Ordinal))
                continue; // items and delimiters: structure, not values
            if (tag == "0008,0005")
                continue; // +U8 rewrites (or adds) Specific Character Set; the charset tests check it
            if (vr == "up")
                vr = "UL"; // dcmtk's internal name for DICOMDIR offsets (UL on the wire)
            if (vr == "??")
                vr = "UN"; // dcmtk's mark for an implicit-VR element it has no dictionary entry for
            var value = match.Groups["value"].Value;
            var length = match.Groups["len"].Value == "u/l" ? -1 : int.Parse(match.Groups["len"].Value, System.Globalization.CultureInfo.InvariantCulture);
            elements.Add(new DumpedElement(match.Groups["indent"].Length / 2, tag, vr, value, length));
        }

        return elements;
    }

    // dcmdump prints text values as they are, so a value with CR/LF spans several output lines.
    private static IEnumerable<string> JoinContinuationLines(string[] lines)
    {
        string? pending = null;
        foreach (var line in lines)
        {
            var startsElement = line.TrimStart(' ').StartsWith('(') && line.TrimStart(' ').Length > 10 && line.TrimStart(' ')[5] == ',';
            if (pending is not null && !startsElement && !line.StartsWith('#') && line.Length > 0)
            {
                pending += "\n" + line;
                continue;
            }

            if (pending is not null)
                yield return pending;
            pending = line;
        }

        if (pending is not null)
            yield return pending;
    }
}
