using DicomScript.Storage.Identifiers;

namespace DicomScript.Server.Ingest;

/// <summary>What became of an incoming instance (the Status of Orthanc's POST /instances answer).</summary>
public enum IngestStatus
{
    Success,
    AlreadyStored,
    FilteredOut,
}

/// <summary>
/// The outcome of ingesting one instance, with the Orthanc IDs of it and its parents (computed even
/// when a filter refused it); <see cref="RejectStatus"/> is set when a filter refused it.
/// </summary>
public sealed record IngestResult(IngestStatus Status, OrthancIdentifiers Identifiers, ushort RejectStatus = 0)
{
    public string InstanceId => Identifiers.InstanceHash;

    /// <summary>
    /// True when the pipeline kept the file's bytes (parsed, for the next reader): a caller that
    /// lent them, from a pool, must then leave them to the garbage collector instead of reusing them.
    /// </summary>
    public bool FileBytesKept { get; init; }
}
