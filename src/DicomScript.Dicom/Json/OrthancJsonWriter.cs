using System.Text.Encodings.Web;
using System.Text.Json;
using DicomScript.Dicom.Data;

namespace DicomScript.Dicom.Json;

/// <summary>The three tag formats of Orthanc's REST API.</summary>
public enum OrthancTagFormat
{
    /// <summary><c>/instances/{id}/tags</c>: <c>"gggg,eeee": {Name, [PrivateCreator,] Type, Value}</c>.</summary>
    Full,

    /// <summary><c>/simplified-tags</c> or <c>?simplify</c>: <c>Name: value</c>; what Lua's <c>tags</c> holds.</summary>
    Simplified,

    /// <summary><c>?short</c>: <c>"gggg,eeee": value</c>.</summary>
    Short,
}

/// <summary>Writes datasets in Orthanc's tag JSON formats.</summary>
public static class OrthancJsonWriter
{
    private static readonly JsonWriterOptions Indented = new()
    {
        Indented = true,
        IndentSize = 3, // Orthanc's JSON writer indents by three spaces
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonWriterOptions Compact = Indented with { Indented = false };

    /// <summary>The dataset as UTF-8 JSON in <paramref name="format"/>.</summary>
    public static byte[] ToUtf8(DicomDataset dataset, OrthancTagFormat format, bool indented = true) =>
        ToUtf8(OrthancTagsConverter.Convert(dataset), format, indented);

    /// <summary>Converted nodes as UTF-8 JSON in <paramref name="format"/>.</summary>
    public static byte[] ToUtf8(IReadOnlyList<OrthancTagNode> nodes, OrthancTagFormat format, bool indented = true)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, indented ? Indented : Compact))
            Write(writer, nodes, format);
        return stream.ToArray();
    }

    /// <summary>The dataset as a JSON string in <paramref name="format"/>.</summary>
    public static string ToJson(DicomDataset dataset, OrthancTagFormat format, bool indented = true) =>
        System.Text.Encoding.UTF8.GetString(ToUtf8(dataset, format, indented));

    /// <summary>Writes converted nodes as one JSON object.</summary>
    public static void Write(Utf8JsonWriter writer, IReadOnlyList<OrthancTagNode> nodes, OrthancTagFormat format)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(nodes);
        writer.WriteStartObject();
        switch (format)
        {
            case OrthancTagFormat.Full:
                foreach (var node in nodes)
                    WriteFull(writer, node);
                break;
            case OrthancTagFormat.Short:
                foreach (var node in nodes)
                {
                    writer.WritePropertyName(node.Tag.ToString());
                    WriteSimpleValue(writer, node, format);
                }

                break;
            default:
                // Keyed by name: when names repeat, the highest tag wins (as in Orthanc), keys in ordinal order.
                var byName = new SortedDictionary<string, OrthancTagNode>(StringComparer.Ordinal);
                foreach (var node in nodes)
                    byName[node.Name] = node;
                foreach (var (name, node) in byName)
                {
                    writer.WritePropertyName(name);
                    WriteSimpleValue(writer, node, format);
                }

                break;
        }

        writer.WriteEndObject();
    }

    private static void WriteFull(Utf8JsonWriter writer, OrthancTagNode node)
    {
        writer.WritePropertyName(node.Tag.ToString());
        writer.WriteStartObject();
        writer.WriteString("Name", node.Name);
        if (node.PrivateCreator is not null)
            writer.WriteString("PrivateCreator", node.PrivateCreator);
        writer.WriteString("Type", node.Type.ToString());
        writer.WritePropertyName("Value");
        if (node.Type == OrthancValueType.Sequence)
        {
            writer.WriteStartArray();
            foreach (var item in node.Items!)
            {
                writer.WriteStartObject();
                foreach (var child in item)
                    WriteFull(writer, child);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }
        else if (node.Type == OrthancValueType.String)
        {
            writer.WriteStringValue(node.Value);
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WriteEndObject();
    }

    private static void WriteSimpleValue(Utf8JsonWriter writer, OrthancTagNode node, OrthancTagFormat format)
    {
        switch (node.Type)
        {
            case OrthancValueType.String:
                writer.WriteStringValue(node.Value);
                break;
            case OrthancValueType.Sequence:
                writer.WriteStartArray();
                foreach (var item in node.Items!)
                    Write(writer, item, format);
                writer.WriteEndArray();
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }
}
