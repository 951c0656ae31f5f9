namespace DicomScript.Network.Pdu;

/// <summary>A-ASSOCIATE-RQ: the requestor proposes an association.</summary>
public sealed record AAssociateRq(
    string CalledAETitle,
    string CallingAETitle,
    IReadOnlyList<PresentationContextRq> PresentationContexts,
    UserInformation UserInformation,
    string ApplicationContext = AAssociateRq.DicomApplicationContext) : Pdu
{
    /// <summary>The DICOM application context name (PS3.7 Annex A.2.1).</summary>
    public const string DicomApplicationContext = "1.2.840.10008.3.1.1.1";

    public override PduType Type => PduType.AssociateRq;
}

/// <summary>A-ASSOCIATE-AC: the acceptor accepts, with a result per presentation context.</summary>
public sealed record AAssociateAc(
    string CalledAETitle,
    string CallingAETitle,
    IReadOnlyList<PresentationContextAc> PresentationContexts,
    UserInformation UserInformation,
    string ApplicationContext = AAssociateRq.DicomApplicationContext) : Pdu
{
    public override PduType Type => PduType.AssociateAc;
}

/// <summary>One fragment of a DIMSE message in a P-DATA-TF PDU (PS3.8 §9.3.5.1).</summary>
public sealed record Pdv(byte PresentationContextId, bool IsCommand, bool IsLast, ReadOnlyMemory<byte> Data);

/// <summary>P-DATA-TF: one or more PDVs.</summary>
public sealed record PDataTf(IReadOnlyList<Pdv> Pdvs) : Pdu
{
    public override PduType Type => PduType.PDataTf;
}
