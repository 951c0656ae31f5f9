namespace DicomScript.Storage.Index;

/// <summary>Orthanc 1.10.1's reserved metadata names and numbers; user metadata use 1024..65535.</summary>
public enum MetadataType
{
    IndexInSeries = 1,
    ReceptionDate = 2,
    RemoteAET = 3,
    ExpectedNumberOfInstances = 4,
    ModifiedFrom = 5,
    AnonymizedFrom = 6,
    LastUpdate = 7,
    Origin = 8,
    TransferSyntax = 9,
    SopClassUid = 10,
    RemoteIP = 11,
    CalledAET = 12,
    HttpUsername = 13,
    PixelDataOffset = 14,
}
