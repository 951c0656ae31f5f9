namespace DicomScript.Storage.Identifiers;

/// <summary>The four levels of Orthanc's resource hierarchy.</summary>
public enum ResourceLevel
{
    Patient,
    Study,
    Series,
    Instance,
}
