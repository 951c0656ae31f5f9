using System.Text.Json;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;

namespace DicomScript.Server.Modification;

/// <summary>
/// Reads the body of Orthanc's <c>/modify</c> and <c>/anonymize</c> requests into a
/// <see cref="DicomModification"/>, refusing what Orthanc 1.10.1 refuses with its codes and
/// messages: wrong option types, unknown tags, and touching the database keys (PatientID and the
/// study, series and instance UIDs) without "Force".
/// </summary>
public static class ModificationRequest
{
    private static readonly HashSet<DicomTag> DatabaseKeys =
        [DicomTags.PatientID, DicomTags.StudyInstanceUID, DicomTags.SeriesInstanceUID, DicomTags.SOPInstanceUID];

    /// <summary>A modification: Replace, Remove, Keep, RemovePrivateTags, Force, PrivateCreator.</summary>
    public static DicomModification ParseModify(JsonNode? body, string defaultPrivateCreator)
    {
        var request = body as JsonObject ?? throw new ModificationException(OrthancError.BadFileFormat, "");
        var modification = new DicomModification { PrivateCreator = defaultPrivateCreator };
        var force = Boolean(request, "Force");
        if (Boolean(request, "RemovePrivateTags"))
            modification.SetRemovePrivateTags(true);
        ReadOperations(modification, request, force);
        return modification;
    }

    /// <summary>
    /// An anonymization with the basic profile of "DicomVersion" (2021b by default), then the
    /// request's KeepPrivateTags, Remove, Replace and Keep. Unless the request decides the
    /// patient's name, <paramref name="newPatientName"/> makes one up.
    /// </summary>
    public static DicomModification ParseAnonymize(JsonNode? body, string defaultPrivateCreator, Func<string> newPatientName)
    {
        ArgumentNullException.ThrowIfNull(newPatientName);
        var request = body as JsonObject ?? throw new ModificationException(OrthancError.BadFileFormat, "");
        var modification = new DicomModification { PrivateCreator = defaultPrivateCreator };
        var force = Boolean(request, "Force");
        var version = BasicProfile.DefaultVersion;
        if (request.ContainsKey("DicomVersion"))
        {
            version = request["DicomVersion"] is JsonValue v && v.GetValueKind() == JsonValueKind.String
                ? v.GetValue<string>()
                : throw new ModificationException(OrthancError.BadFileFormat, "");
        }

        var profile = BasicProfile.Find(version)
            ?? throw new ModificationException(OrthancError.ParameterOutOfRange, "Unknown specific version of the DICOM standard: " + version);
        modification.SetupAnonymization(profile);
        if (Boolean(request, "KeepPrivateTags"))
            modification.SetRemovePrivateTags(false);
        ReadOperations(modification, request, force);
        if (modification.GeneratesPatientName)
            modification.Replace(new DicomPath(DicomTags.PatientName), newPatientName(), safeForAnonymization: true);
        return modification;
    }

    /// <summary>A tag as Orthanc names them in JSON: keyword or hexadecimal; unknown ones are error 27.</summary>
    public static DicomTag ParseTag(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.StartsWith('('))
            throw new ModificationException(OrthancError.UnknownDicomTag, "");
        return ParsePath(name) is { Prefix.Count: 0 } path ? path.FinalTag : throw new ModificationException(OrthancError.UnknownDicomTag, "");
    }

    private static DicomPath ParsePath(string name)
    {
        try
        {
            return DicomPath.Parse(name);
        }
        catch (DicomPathException ex)
        {
            throw new ModificationException(ex.IsUnknownTag ? OrthancError.UnknownDicomTag : OrthancError.ParameterOutOfRange, ex.Message);
        }
    }

    private static void ReadOperations(DicomModification modification, JsonObject request, bool force)
    {
        if (request.ContainsKey("Remove"))
        {
            foreach (var path in ListOfPaths(request["Remove"], "removed", force))
                modification.Remove(path);
        }

        if (request.ContainsKey("Replace"))
        {
            var replacements = request["Replace"] as JsonObject ?? throw new ModificationException(OrthancError.BadRequest, "");
            foreach (var (name, value) in replacements)
            {
                var path = ParsePath(name);
                RequireForceForDatabaseKey(path, force, name, "replaced");
                modification.Replace(path, value, safeForAnonymization: false);
            }
        }

        if (request.ContainsKey("Keep"))
        {
            foreach (var path in ListOfPaths(request["Keep"], "kept", force))
                modification.Keep(path);
        }

        if (request.ContainsKey("PrivateCreator"))
        {
            modification.PrivateCreator = request["PrivateCreator"] is JsonValue v && v.GetValueKind() == JsonValueKind.String
                ? v.GetValue<string>()
                : throw new ModificationException(OrthancError.BadFileFormat, "String value expected in field: PrivateCreator");
        }
    }

    private static List<DicomPath> ListOfPaths(JsonNode? list, string operation, bool force)
    {
        var array = list as JsonArray ?? throw new ModificationException(OrthancError.BadRequest, "");
        var paths = new List<DicomPath>();
        foreach (var entry in array)
        {
            var name = entry is JsonValue v && v.GetValueKind() == JsonValueKind.String
                ? v.GetValue<string>()
                : throw new ModificationException(OrthancError.BadRequest, "");
            var path = ParsePath(name);
            RequireForceForDatabaseKey(path, force, name, operation);
            paths.Add(path);
        }

        return paths;
    }

    private static void RequireForceForDatabaseKey(DicomPath path, bool force, string name, string operation)
    {
        if (path.Prefix.Count == 0 && !force && DatabaseKeys.Contains(path.FinalTag))
        {
            throw new ModificationException(OrthancError.BadRequest,
                $"Marking tag \"{name}\" as to be {operation} requires the \"Force\" option to be set to true");
        }
    }

    private static bool Boolean(JsonObject request, string member) => request[member] switch
    {
        null when !request.ContainsKey(member) => false,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        _ => throw new ModificationException(OrthancError.BadFileFormat, $"Member \"{member}\" should be a Boolean value"),
    };
}
