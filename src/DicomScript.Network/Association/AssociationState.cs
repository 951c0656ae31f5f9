namespace DicomScript.Network.Association;

/// <summary>The states of the upper layer state machine (PS3.8 Table 9-10), numbered as Sta1..Sta13.</summary>
public enum AssociationState
{
    Idle = 1,
    AwaitingAssociateRq = 2,
    AwaitingLocalAssociateResponse = 3,
    AwaitingTransportOpen = 4,
    AwaitingAssociateResponse = 5,
    Established = 6,
    AwaitingReleaseRp = 7,
    AwaitingLocalReleaseResponse = 8,
    CollisionRequestorAwaitingLocalResponse = 9,
    CollisionAcceptorAwaitingReleaseRp = 10,
    CollisionRequestorAwaitingReleaseRp = 11,
    CollisionAcceptorAwaitingLocalResponse = 12,
    AwaitingTransportClose = 13,
}

/// <summary>The events of the state machine (PS3.8 Table 9-10), numbered as Evt1..Evt19.</summary>
public enum AssociationEvent
{
    LocalAssociateRequest = 1,
    TransportConnectConfirm = 2,
    AssociateAcReceived = 3,
    AssociateRjReceived = 4,
    TransportConnectIndication = 5,
    AssociateRqReceived = 6,
    LocalAssociateAccept = 7,
    LocalAssociateReject = 8,
    LocalPDataRequest = 9,
    PDataReceived = 10,
    LocalReleaseRequest = 11,
    ReleaseRqReceived = 12,
    ReleaseRpReceived = 13,
    LocalReleaseResponse = 14,
    LocalAbortRequest = 15,
    AbortReceived = 16,
    TransportClosed = 17,
    ArtimExpired = 18,
    InvalidPduReceived = 19,
}

/// <summary>The actions of PS3.8 Tables 9-6 to 9-9.</summary>
public enum AssociationAction
{
    AE1, AE2, AE3, AE4, AE5, AE6, AE7, AE8,
    DT1, DT2,
    AR1, AR2, AR3, AR4, AR5, AR6, AR7, AR8, AR9, AR10,
    AA1, AA2, AA3, AA4, AA5, AA6, AA7, AA8,
}
