namespace DicomScript.Network.Association;

/// <summary>Limits and timeouts of one association.</summary>
public sealed record AssociationOptions
{
    /// <summary>Largest P-DATA-TF variable field we announce and accept.</summary>
    public uint MaxPduLength { get; init; } = 256 * 1024;

    /// <summary>ARTIM: how long to wait for the A-ASSOCIATE-RQ after a connection, and for the close after a reject or release.</summary>
    public TimeSpan ArtimTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>An established association with no PDU for this long is aborted (Orthanc's DicomScpTimeout).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Received datasets larger than this are kept in a temporary file instead of memory.</summary>
    public long SpillThreshold { get; init; } = 16 * 1024 * 1024;

    /// <summary>Where spilled datasets go.</summary>
    public string TemporaryFolder { get; init; } = Path.GetTempPath();

    /// <summary>Our implementation class UID and version name, sent in A-ASSOCIATE-RQ/AC.</summary>
    public string ImplementationClassUid { get; init; } = Dicom.IO.DicomImplementation.ClassUid;

    public string ImplementationVersionName { get; init; } = Dicom.IO.DicomImplementation.VersionName;
}
