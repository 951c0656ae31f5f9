namespace DicomScript.Server.Ingest;

/// <summary>What became of an incoming instance (the Status of Orthanc's POST /instances answer).</summary>
public enum IngestStatus
{
    Success,
    AlreadyStored,
    FilteredOut,
}

/// <summary>The outcome of ingesting one instance; <see cref="RejectStatus"/> is set when a filter refused it.</summary>
public sealed record IngestResult(IngestStatus Status, string InstanceId, ushort RejectStatus = 0);
