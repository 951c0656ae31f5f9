using System.Text.Json;
using System.Text.Json.Nodes;

namespace DicomScript.Dicom.Tests.Support;

/// <summary>Lists the differences between two JSON trees (object key order does not matter).</summary>
public static class JsonDiff
{
    public static List<string> Differences(JsonNode? ours, JsonNode? theirs, Func<string, bool>? skip = null)
    {
        var differences = new List<string>();
        Compare(ours, theirs, "", skip ?? (_ => false), differences);
        return differences;
    }

    private static void Compare(JsonNode? ours, JsonNode? theirs, string path, Func<string, bool> skip, List<string> differences)
    {
        if (skip(path))
            return;
        switch (ours, theirs)
        {
            case (JsonObject a, JsonObject b):
                foreach (var key in a.Select(p => p.Key).Union(b.Select(p => p.Key)).Order(StringComparer.Ordinal))
                {
                    var child = $"{path}/{key}";
                    if (skip(child))
                        continue;
                    if (!a.ContainsKey(key))
                        differences.Add($"{child}: missing in ours (theirs: {Short(b[key])})");
                    else if (!b.ContainsKey(key))
                        differences.Add($"{child}: not in theirs (ours: {Short(a[key])})");
                    else
                        Compare(a[key], b[key], child, skip, differences);
                }

                break;
            case (JsonArray a, JsonArray b) when a.Count == b.Count:
                for (var i = 0; i < a.Count; i++)
                    Compare(a[i], b[i], $"{path}[{i}]", skip, differences);
                break;
            // Numbers are compared as the doubles a client reads (Orthanc writes 0.15 as 0.14999999999999999),
            // and Orthanc's DICOM JSON writes tiny FL values as 0 (seen: 1.4e-45 and 2.6e-29).
            case (JsonValue a, JsonValue b) when a.GetValueKind() == JsonValueKind.Number && b.GetValueKind() == JsonValueKind.Number:
                if (a.GetValue<double>() != b.GetValue<double>() && !(Math.Abs(a.GetValue<double>()) < 1e-20 && Math.Abs(b.GetValue<double>()) < 1e-20))
                    differences.Add($"{path}: ours {Short(ours)}, theirs {Short(theirs)}");
                break;
            default:
                if (!JsonNode.DeepEquals(ours, theirs))
                    differences.Add($"{path}: ours {Short(ours)}, theirs {Short(theirs)}");
                break;
        }
    }

    private static string Short(JsonNode? node)
    {
        var text = node?.ToJsonString() ?? "null";
        return text.Length > 100 ? text[..100] + "..." : text;
    }
}
