using System.Text.Json;

namespace DicomScript.Dicom.Tests.Support;

/// <summary>pydicom (Debian python3-pydicom, run with the system Python) as an independent reader.</summary>
public static class Pydicom
{
    // The system interpreter: the one Debian's python3-pydicom is installed for.
    private const string Python = "/usr/bin/python3";

    public sealed record Element(int Depth, string Tag, string VR, string? Value);

    public static List<Element> Read(string path)
    {
        var python = ExternalTools.Require(Python, "python3");
        var script = Path.Combine(AppContext.BaseDirectory, "Support", "pydicom_elements.py");
        var (exit, output, error) = ExternalTools.Run(python, [script, path]);
        if (exit != 0 && error.Contains("No module named 'pydicom'", StringComparison.Ordinal))
            ExternalTools.Missing("pydicom is not installed (apt-get install python3-pydicom)");
        if (exit != 0)
            throw new InvalidOperationException($"pydicom failed on {path}: {error}");
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(ParseLine)];
    }

    private static Element ParseLine(string line)
    {
        using var json = JsonDocument.Parse(line);
        var a = json.RootElement;
        return new Element(a[0].GetInt32(), a[1].GetString()!, a[2].GetString()!, a[3].ValueKind == JsonValueKind.Null ? null : a[3].GetString());
    }
}
