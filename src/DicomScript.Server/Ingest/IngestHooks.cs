using DicomScript.Dicom.IO;

namespace DicomScript.Server.Ingest;

/// <summary>
/// The decision of a receive filter: accept, or refuse. A refused C-STORE is answered with
/// <paramref name="RejectStatus"/>: 0 (Success, as Orthanc answers an instance ReceivedInstanceFilter
/// discards) or the DIMSE status ReceivedCStoreInstanceFilter returned.
/// </summary>
public sealed record FilterDecision(bool Accept, ushort RejectStatus = 0)
{
    public static FilterDecision Accepted { get; } = new(true);
}

/// <summary>
/// Runs before an instance is written (the Lua engine's ReceivedInstanceFilter and
/// ReceivedCStoreInstanceFilter plug in here, through <see cref="Scripting.ScriptHooks"/>). Called
/// only when one is registered, so a server without filters pays nothing. A failing filter throws
/// <see cref="Scripting.ScriptException"/>: the instance is refused (REST 500, C-STORE 0xA700).
/// </summary>
public interface IReceivedInstanceFilter
{
    ValueTask<FilterDecision> FilterAsync(DicomFile file, InstanceOrigin origin, CancellationToken cancellationToken);
}
