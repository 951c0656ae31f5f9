namespace DicomScript.Server.Modification;

/// <summary>A modification Orthanc would refuse, with its error code and details (possibly empty).</summary>
public sealed class ModificationException(OrthancError error, string details) : Exception(details)
{
    public OrthancError Error { get; } = error;
}
