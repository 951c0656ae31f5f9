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
