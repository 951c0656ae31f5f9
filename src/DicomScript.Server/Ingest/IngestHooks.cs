using DicomScript.Dicom.Data;

namespace DicomScript.Server.Ingest;

/// <summary>The decision of a receive filter: accept, or refuse (with a DIMSE status for C-STORE).</summary>
public sealed record FilterDecision(bool Accept, ushort RejectStatus = 0xA700)
{
    public static FilterDecision Accepted { get; } = new(true);
}

/// <summary>
/// Runs before an instance is written (the Lua engine's ReceivedInstanceFilter and
/// ReceivedCStoreInstanceFilter plug in here). Called only when one is registered, so a server
/// without filters pays nothing.
/// </summary>
public interface IReceivedInstanceFilter
{
    ValueTask<FilterDecision> FilterAsync(DicomDataset dataset, InstanceOrigin origin, CancellationToken cancellationToken);
}
