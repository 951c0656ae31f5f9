using System.Net;
using DicomScript.Network.Association;

namespace DicomScript.Network.Scp;

/// <summary>How the DICOM listener behaves (the server maps orthanc.json keys onto these).</summary>
public sealed record DicomServerOptions
{
    public string AETitle { get; init; } = "ORTHANC";

    public IPAddress BindAddress { get; init; } = IPAddress.Any;

    /// <summary>The TCP port; 0 picks a free one (tests).</summary>
    public int Port { get; init; } = 4242;

    /// <summary>Reject associations whose called AE title is not ours (Orthanc's DicomCheckCalledAet).</summary>
    public bool CheckCalledAETitle { get; init; }

    /// <summary>Associations beyond this many at once are rejected (transient, local limit exceeded).</summary>
    public int MaxAssociations { get; init; } = 64;

    /// <summary>Accept storage of SOP classes we do not know (Orthanc's UnknownSopClassAccepted).</summary>
    public bool AcceptUnknownSopClasses { get; init; }

    /// <summary>Transfer syntaxes accepted for storage, in our order of preference among those proposed; null = every known one.</summary>
    public IReadOnlyList<string>? StorageTransferSyntaxes { get; init; }

    public AssociationOptions Association { get; init; } = new();
}
