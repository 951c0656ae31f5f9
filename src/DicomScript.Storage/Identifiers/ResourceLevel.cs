namespace DicomScript.Storage.Identifiers;

/// <summary>The four levels of Orthanc's resource hierarchy.</summary>
public enum ResourceLevel
{
    Patient,
    Study,
    Series,
    Instance,
}

/// <summary>How Orthanc's REST API names the levels.</summary>
public static class ResourceLevels
{
    /// <summary>The URL segment of a level: <c>patients</c>, <c>studies</c>, <c>series</c>, <c>instances</c>.</summary>
    public static string PluralOf(ResourceLevel level) => level switch
    {
        ResourceLevel.Patient => "patients",
        ResourceLevel.Study => "studies",
        ResourceLevel.Series => "series",
        _ => "instances",
    };

    /// <summary>A level named as Orthanc reads names (any case, plurals, IMAGE for instances), or null.</summary>
    public static ResourceLevel? Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.ToUpperInvariant() switch
        {
            "PATIENT" or "PATIENTS" => ResourceLevel.Patient,
            "STUDY" or "STUDIES" => ResourceLevel.Study,
            "SERIES" => ResourceLevel.Series,
            "INSTANCE" or "INSTANCES" or "IMAGE" or "IMAGES" => ResourceLevel.Instance,
            _ => null,
        };
    }

    /// <summary>The REST path of a resource, e.g. <c>/studies/{id}</c>.</summary>
    public static string PathOf(ResourceLevel level, string id) => $"/{PluralOf(level)}/{id}";
}
