using System.Text.Json;
using System.Text.Json.Nodes;

namespace DicomScript.Server.Configuration;

/// <summary>
/// Reads an Orthanc configuration: one JSON file, or every <c>*.json</c> file of a folder merged (a
/// top-level key defined in two files is an error, as in Orthanc). Comments (<c>//</c>, <c>/* */</c>)
/// and trailing commas are allowed, as Orthanc's parser allows them.
/// </summary>
public static class ConfigurationLoader
{
    private static readonly JsonDocumentOptions Lenient = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Loads <paramref name="path"/> (file or folder); null loads nothing (embedded defaults).</summary>
    public static OrthancConfiguration Load(string? path)
    {
        if (path is null)
            return new OrthancConfiguration(new JsonObject(), Environment.CurrentDirectory, []);
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            var files = Directory.GetFiles(full, "*.json").Order(StringComparer.Ordinal).ToList();
            var merged = new JsonObject();
            var origin = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var file in files)
            {
                foreach (var (key, value) in ParseFile(file))
                {
                    if (origin.TryGetValue(key, out var first))
                        throw new ConfigurationException($"{file}: \"{key}\" is also defined in {first}");
                    origin[key] = file;
                    merged[key] = value?.DeepClone();
                }
            }

            return new OrthancConfiguration(merged, full, files);
        }

        if (!File.Exists(full))
            throw new ConfigurationException($"{full}: no such configuration file or folder");
        return new OrthancConfiguration(ParseFile(full), Path.GetDirectoryName(full)!, [full]);
    }

    /// <summary>Parses one file; a syntax error names the file, the line and the reason.</summary>
    public static JsonObject ParseFile(string file)
    {
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (IOException ex)
        {
            throw new ConfigurationException($"{file}: cannot read: {ex.Message}", ex);
        }

        return Parse(text, file);
    }

    public static JsonObject Parse(string text, string source)
    {
        try
        {
            var node = JsonNode.Parse(text, documentOptions: Lenient);
            return node as JsonObject ?? throw new ConfigurationException($"{source}: the configuration must be a JSON object");
        }
        catch (JsonException ex)
        {
            var line = (ex.LineNumber ?? 0) + 1;
            throw new ConfigurationException($"{source}:{line}: {Reason(ex)}", ex);
        }
    }

    // JsonException messages end with "Path: ... | LineNumber: ... | BytePositionInLine: ...": the file and line say that better.
    private static string Reason(JsonException ex)
    {
        var message = ex.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }
}
