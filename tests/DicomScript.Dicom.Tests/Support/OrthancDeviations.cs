using System.Text.Json.Nodes;
using DicomScript.Dicom.Data;

namespace DicomScript.Dicom.Tests.Support;

/// <summary>
/// Where the real Orthanc 1.10.1 garbles text that we decode correctly (README lists these); the
/// oracle tests leave exactly these out and the charset tests check our values against pydicom.
/// </summary>
public static class OrthancDeviations
{
    /// <summary>Elements whose text Orthanc 1.10.1 decodes wrongly, by file, with the reason.</summary>
    private static readonly Dictionary<string, (string[] Names, string Why)> TextOrthancGarbles = new()
    {
        ["charset_files/chrH32.dcm"] = (["PatientName"],
            "ISO 2022 IR 13\\ISO 2022 IR 87: Orthanc decodes the whole value as Shift-JIS, leaving the JIS X 0208 runs as ASCII"),
        ["charset_files/chrJapMultiExplicitIR6.dcm"] = (["PatientName", "OtherPatientNames", "AdditionalPatientHistory"],
            "ISO 2022 IR 6\\ISO 2022 IR 87: Orthanc uses only the first term (ASCII) and keeps the escape bytes as text"),
    };

    /// <summary>The names of the elements Orthanc garbles in this corpus file (none for most).</summary>
    public static string[] GarbledText(string file) => TextOrthancGarbles.TryGetValue(file, out var known) ? known.Names : [];

    /// <summary>
    /// With Specific Character Set ISO_IR 13 (JIS X 0201), Orthanc's iconv turns every backslash into
    /// "¥" and "~" into "‾", even the separators of multi-valued CS and DS. The bytes are the ASCII
    /// ones; we keep them as "\\" and "~". Undoes Orthanc's substitution in a JSON answer.
    /// </summary>
    public static void NormalizeShiftJis(DicomDataset dataset, JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var characterSet = dataset.CharacterSet.DefinedTerms;
        if (characterSet.Count == 0 || !characterSet[0].EndsWith("IR 13", StringComparison.Ordinal))
            return;
        Replace(node);

        static void Replace(JsonNode? n)
        {
            switch (n)
            {
                case JsonObject o:
                    foreach (var key in o.Select(p => p.Key).ToList())
                    {
                        if (o[key] is JsonValue v && v.TryGetValue<string>(out var s))
                            o[key] = s.Replace('¥', '\\').Replace('‾', '~');
                        else
                            Replace(o[key]);
                    }

                    break;
                case JsonArray a:
                    foreach (var item in a)
                        Replace(item);
                    break;
            }
        }
    }
}
