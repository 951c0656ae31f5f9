namespace DicomScript.Server.Ingest;

/// <summary>Where an instance came from (Orthanc's DicomInstanceOrigin): recorded as metadata and given to Lua.</summary>
public sealed record InstanceOrigin(string RequestOrigin, string? RemoteIp = null, string? RemoteAet = null, string? CalledAet = null, string? Username = null)
{
    public const string DicomProtocol = "DicomProtocol";
    public const string RestApi = "RestApi";

    public static InstanceOrigin Dicom(string remoteIp, string remoteAet, string calledAet) => new(DicomProtocol, remoteIp, remoteAet, calledAet);

    public static InstanceOrigin Rest(string remoteIp, string username) => new(RestApi, remoteIp, Username: username);

    public static InstanceOrigin Lua { get; } = new("Lua");
}
