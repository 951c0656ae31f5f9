using DicomScript.Network.Association;
using DicomScript.Network.Dimse;

namespace DicomScript.Network.Scu;

/// <summary>Where and as whom the SCU connects.</summary>
public sealed record DicomClientOptions(string Host, int Port, string CallingAETitle, string CalledAETitle)
{
    /// <summary>How long to wait for each response (Orthanc's DicomScuTimeout).</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public AssociationOptions Association { get; init; } = new();
}

/// <summary>The outcome of a C-MOVE or C-GET: the final status and the sub-operation counts.</summary>
public sealed record RetrieveResult(ushort Status, SubOperationCounts Counts);
