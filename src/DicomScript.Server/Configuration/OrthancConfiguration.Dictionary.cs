using System.Text.Json;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;

namespace DicomScript.Server.Configuration;

// The "Dictionary" key: tags the administrator declares, most often a vendor's private tags.
public sealed partial class OrthancConfiguration
{
    /// <summary>
    /// The tags declared under <c>Dictionary</c>, in Orthanc's form
    /// <c>"gggg,eeee": [VR, name, minMultiplicity?, maxMultiplicity? (0: any), privateCreator?]</c>.
    /// </summary>
    public IReadOnlyList<DicomDictionaryEntry> Dictionary => [.. Object("Dictionary").Select(p => DictionaryEntry(p.Key, p.Value))];

    private static DicomDictionaryEntry DictionaryEntry(string key, JsonNode? value)
    {
        var where = $"Dictionary.{key}";
        if (!DicomTag.TryParse(key, out var tag))
            throw new ConfigurationException($"\"{where}\": \"{key}\" is not a tag (gggg,eeee)");
        if (value is not JsonArray { Count: >= 2 and <= 5 } fields)
            throw new ConfigurationException($"\"{where}\" must be [VR, name, minimum multiplicity, maximum multiplicity, private creator], the last three optional");
        var vrCode = Text(fields[0], $"{where}[0]");
        if (vrCode.Length != 2 || !DicomVR.TryParse(vrCode, out var vr))
            throw new ConfigurationException($"\"{where}\": \"{vrCode}\" is not a value representation");
        var name = Text(fields[1], $"{where}[1]");
        var minimum = fields.Count > 2 ? Multiplicity(fields[2], $"{where}[2]") : 1;
        var maximum = fields.Count > 3 ? Multiplicity(fields[3], $"{where}[3]") : 1;
        var creator = fields.Count > 4 ? Text(fields[4], $"{where}[4]") : null;
        // As Orthanc: a private creator only for a private group. A private tag without one is
        // accepted; as in dcmtk, it then names the tag only where no creator reserves its block.
        if (creator is not null && (!tag.IsPrivate || tag.Group == 0xFFFF))
            throw new ConfigurationException($"\"{where}\": a private creator is for private tags, of an odd group from 0009");
        if (minimum < 1 || (maximum != 0 && maximum < minimum))
            throw new ConfigurationException($"\"{where}\": the multiplicity {minimum}..{maximum} is out of range (minimum ≥ 1, maximum ≥ minimum or 0 for any)");
        var multiplicity = maximum == 0 ? $"{minimum}-n" : minimum == maximum ? $"{minimum}" : $"{minimum}-{maximum}";
        return DicomDictionaryEntry.Declared(tag, vr, name, multiplicity, creator);
    }

    private static long Multiplicity(JsonNode? node, string key) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var n) && n >= 0 ? n : throw WrongType(key, "an integer ≥ 0");
}
