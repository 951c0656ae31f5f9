using static DicomScript.Network.Association.AssociationAction;
using static DicomScript.Network.Association.AssociationEvent;
using static DicomScript.Network.Association.AssociationState;

namespace DicomScript.Network.Association;

/// <summary>
/// PS3.8 Table 9-10 as data: for each (event, state) the standard defines, the action to take; and
/// for each action its next state. A pair the standard leaves blank has no entry.
/// </summary>
public static class StateTable
{
    private static readonly Dictionary<(AssociationEvent, AssociationState), AssociationAction> Cells = Build();

    /// <summary>Every defined cell.</summary>
    public static IReadOnlyDictionary<(AssociationEvent Event, AssociationState State), AssociationAction> All => Cells;

    /// <summary>The action for an event in a state, or null where the standard defines none.</summary>
    public static AssociationAction? Lookup(AssociationEvent evt, AssociationState state) =>
        Cells.TryGetValue((evt, state), out var action) ? action : null;

    /// <summary>
    /// The state an action leads to. AE-6 depends on whether the request is acceptable, AR-8 on which
    /// side requested the association.
    /// </summary>
    public static AssociationState NextState(AssociationAction action, bool isRequestor, bool requestAcceptable = true) => action switch
    {
        AE1 => AwaitingTransportOpen,
        AE2 => AwaitingAssociateResponse,
        AE3 => Established,
        AE4 => Idle,
        AE5 => AwaitingAssociateRq,
        AE6 => requestAcceptable ? AwaitingLocalAssociateResponse : AwaitingTransportClose,
        AE7 => Established,
        AE8 => AwaitingTransportClose,
        DT1 or DT2 => Established,
        AR1 => AwaitingReleaseRp,
        AR2 => AwaitingLocalReleaseResponse,
        AR3 => Idle,
        AR4 => AwaitingTransportClose,
        AR5 => Idle,
        AR6 => AwaitingReleaseRp,
        AR7 => AwaitingLocalReleaseResponse,
        AR8 => isRequestor ? CollisionRequestorAwaitingLocalResponse : CollisionAcceptorAwaitingReleaseRp,
        AR9 => CollisionRequestorAwaitingReleaseRp,
        AR10 => CollisionAcceptorAwaitingLocalResponse,
        AA1 => AwaitingTransportClose,
        AA2 or AA3 or AA4 or AA5 => Idle,
        AA6 or AA7 or AA8 => AwaitingTransportClose,
        _ => throw new ArgumentOutOfRangeException(nameof(action)),
    };

    private static Dictionary<(AssociationEvent, AssociationState), AssociationAction> Build()
    {
        var cells = new Dictionary<(AssociationEvent, AssociationState), AssociationAction>();
        void Row(AssociationEvent evt, params (AssociationState State, AssociationAction Action)[] row)
        {
            foreach (var (state, action) in row)
                cells.Add((evt, state), action);
        }

        // States where a received PDU is out of place: the provider aborts (AA-8), except in Sta2
        // (AA-1: no association yet) and Sta13 (AA-6: ignore, or AA-7 for a new A-ASSOCIATE-RQ).
        AssociationState[] pduStates =
        [
            AwaitingLocalAssociateResponse, AwaitingAssociateResponse, Established, AwaitingReleaseRp, AwaitingLocalReleaseResponse,
            CollisionRequestorAwaitingLocalResponse, CollisionAcceptorAwaitingReleaseRp, CollisionRequestorAwaitingReleaseRp,
            CollisionAcceptorAwaitingLocalResponse,
        ];
        (AssociationState, AssociationAction)[] Unexpected(AssociationAction inSta2, AssociationAction inSta13, params (AssociationState, AssociationAction)[] exceptions) =>
        [
            (AwaitingAssociateRq, inSta2),
            .. pduStates.Select(s => exceptions.FirstOrDefault(e => e.Item1 == s) is var hit && hit != default ? hit : (s, AA8)),
            (AwaitingTransportClose, inSta13),
        ];

        Row(LocalAssociateRequest, (Idle, AE1));
        Row(TransportConnectConfirm, (AwaitingTransportOpen, AE2));
        Row(AssociateAcReceived, Unexpected(AA1, AA6, (AwaitingAssociateResponse, AE3)));
        Row(AssociateRjReceived, Unexpected(AA1, AA6, (AwaitingAssociateResponse, AE4)));
        Row(TransportConnectIndication, (Idle, AE5));
        Row(AssociateRqReceived, Unexpected(AE6, AA7));
        Row(LocalAssociateAccept, (AwaitingLocalAssociateResponse, AE7));
        Row(LocalAssociateReject, (AwaitingLocalAssociateResponse, AE8));
        Row(LocalPDataRequest, (Established, DT1), (AwaitingLocalReleaseResponse, AR7));
        Row(PDataReceived, Unexpected(AA1, AA6, (Established, DT2), (AwaitingReleaseRp, AR6)));
        Row(LocalReleaseRequest, (Established, AR1));
        Row(ReleaseRqReceived, Unexpected(AA1, AA6, (Established, AR2), (AwaitingReleaseRp, AR8)));
        Row(ReleaseRpReceived, Unexpected(AA1, AA6, (AwaitingReleaseRp, AR3), (CollisionAcceptorAwaitingReleaseRp, AR10), (CollisionRequestorAwaitingReleaseRp, AR3)));
        Row(LocalReleaseResponse, (AwaitingLocalReleaseResponse, AR4), (CollisionRequestorAwaitingLocalResponse, AR9), (CollisionAcceptorAwaitingLocalResponse, AR4));
        Row(LocalAbortRequest, [(AwaitingTransportOpen, AA2), .. new[] { AwaitingLocalAssociateResponse }.Concat(pduStates.Skip(1)).Select(s => (s, AA1))]);
        Row(AbortReceived, [(AwaitingAssociateRq, AA2), .. pduStates.Select(s => (s, AA3)), (AwaitingTransportClose, AA2)]);
        Row(TransportClosed,
        [
            (AwaitingAssociateRq, AA5), (AwaitingTransportOpen, AA4), .. pduStates.Select(s => (s, AA4)), (AwaitingTransportClose, AR5),
        ]);
        Row(ArtimExpired, (AwaitingAssociateRq, AA2), (AwaitingTransportClose, AA2));
        Row(InvalidPduReceived, Unexpected(AA1, AA7));
        return cells;
    }
}
