using DicomScript.Dicom.Data;

namespace DicomScript.Network.Association;

/// <summary>A presentation context both sides agreed on.</summary>
public sealed record AcceptedContext(byte Id, string AbstractSyntax, DicomTransferSyntax TransferSyntax);
