using System.Text.Json;
using System.Text.Json.Nodes;

namespace DicomScript.Dicom.Tests.Support;

/// <summary>Lists the differences between two JSON trees (object key order does not matter).</summary>
public static class JsonDiff
{
    /// <summary>
    /// The differences, except at the paths <paramref name="skip"/> names. Numbers are compared as the
    /// doubles a client reads (Orthanc writes 0.15 as 0.14999999999999999), or by <paramref name="sameNumber"/>.
    /// </summary>
    public static List<string> Differences(JsonNode? ours, JsonNode? theirs, Func<string, bool>? skip = null, Func<double, double, bool>? sameNumber = null)
    {
        var differences = new List<string>();
        Compare(ours, theirs, "", skip ?? (_ => false), sameNumber ?? ((a, b) => a == b), differences);
        return differences;
    }

    private static void Compare(JsonNode? ours, JsonNode? theirs, string path, Func<string, bool> skip, Func<double, double, bool> sameNumber, List<string> differences)
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
                        Compare(a[key], b[key], child, skip, sameNumber, differences);
                }

                break;
            case (JsonArray a, JsonArray b) when a.Count == b.Count:
                for (var i = 0; i < a.Count; i++)
                    Compare(a[i], b[i], $"{path}[{i}]", skip, sameNumber, differences);
                break;
            case (JsonValue a, JsonValue b) when a.GetValueKind() == JsonValueKind.Number && b.GetValueKind() == JsonValueKind.Number:
                if (!sameNumber(a.GetValue<double>(), b.GetValue<double>()))
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
