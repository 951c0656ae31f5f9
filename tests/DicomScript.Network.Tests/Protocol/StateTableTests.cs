using DicomScript.Network.Association;
using NUnit.Framework;
using static DicomScript.Network.Association.AssociationEvent;
using static DicomScript.Network.Association.AssociationState;

namespace DicomScript.Network.Tests.Protocol;

/// <summary>The state table, row by row, against PS3.8 Table 9-10 as the standard prints it.</summary>
[TestFixture]
public class StateTableTests
{
    // Every cell PS3.8 Table 9-10 defines, transcribed from the standard's text ("EvtN StaM -> action").
    private const string Standard = """
        Evt1 Sta1 -> AE-1
        Evt2 Sta4 -> AE-2
        Evt3 Sta2 -> AA-1
        Evt3 Sta3 -> AA-8
        Evt3 Sta5 -> AE-3
        Evt3 Sta6 -> AA-8
        Evt3 Sta7 -> AA-8
        Evt3 Sta8 -> AA-8
        Evt3 Sta9 -> AA-8
        Evt3 Sta10 -> AA-8
        Evt3 Sta11 -> AA-8
        Evt3 Sta12 -> AA-8
        Evt3 Sta13 -> AA-6
        Evt4 Sta2 -> AA-1
        Evt4 Sta3 -> AA-8
        Evt4 Sta5 -> AE-4
        Evt4 Sta6 -> AA-8
        Evt4 Sta7 -> AA-8
        Evt4 Sta8 -> AA-8
        Evt4 Sta9 -> AA-8
        Evt4 Sta10 -> AA-8
        Evt4 Sta11 -> AA-8
        Evt4 Sta12 -> AA-8
        Evt4 Sta13 -> AA-6
        Evt5 Sta1 -> AE-5
        Evt6 Sta2 -> AE-6
        Evt6 Sta3 -> AA-8
        Evt6 Sta5 -> AA-8
        Evt6 Sta6 -> AA-8
        Evt6 Sta7 -> AA-8
        Evt6 Sta8 -> AA-8
        Evt6 Sta9 -> AA-8
        Evt6 Sta10 -> AA-8
        Evt6 Sta11 -> AA-8
        Evt6 Sta12 -> AA-8
        Evt6 Sta13 -> AA-7
        Evt7 Sta3 -> AE-7
        Evt8 Sta3 -> AE-8
        Evt9 Sta6 -> DT-1
        Evt9 Sta8 -> AR-7
        Evt10 Sta2 -> AA-1
        Evt10 Sta3 -> AA-8
        Evt10 Sta5 -> AA-8
        Evt10 Sta6 -> DT-2
        Evt10 Sta7 -> AR-6
        Evt10 Sta8 -> AA-8
        Evt10 Sta9 -> AA-8
        Evt10 Sta10 -> AA-8
        Evt10 Sta11 -> AA-8
        Evt10 Sta12 -> AA-8
        Evt10 Sta13 -> AA-6
        Evt11 Sta6 -> AR-1
        Evt12 Sta2 -> AA-1
        Evt12 Sta3 -> AA-8
        Evt12 Sta5 -> AA-8
        Evt12 Sta6 -> AR-2
        Evt12 Sta7 -> AR-8
        Evt12 Sta8 -> AA-8
        Evt12 Sta9 -> AA-8
        Evt12 Sta10 -> AA-8
        Evt12 Sta11 -> AA-8
        Evt12 Sta12 -> AA-8
        Evt12 Sta13 -> AA-6
        Evt13 Sta2 -> AA-1
        Evt13 Sta3 -> AA-8
        Evt13 Sta5 -> AA-8
        Evt13 Sta6 -> AA-8
        Evt13 Sta7 -> AR-3
        Evt13 Sta8 -> AA-8
        Evt13 Sta9 -> AA-8
        Evt13 Sta10 -> AR-10
        Evt13 Sta11 -> AR-3
        Evt13 Sta12 -> AA-8
        Evt13 Sta13 -> AA-6
        Evt14 Sta8 -> AR-4
        Evt14 Sta9 -> AR-9
        Evt14 Sta12 -> AR-4
        Evt15 Sta3 -> AA-1
        Evt15 Sta4 -> AA-2
        Evt15 Sta5 -> AA-1
        Evt15 Sta6 -> AA-1
        Evt15 Sta7 -> AA-1
        Evt15 Sta8 -> AA-1
        Evt15 Sta9 -> AA-1
        Evt15 Sta10 -> AA-1
        Evt15 Sta11 -> AA-1
        Evt15 Sta12 -> AA-1
        Evt16 Sta2 -> AA-2
        Evt16 Sta3 -> AA-3
        Evt16 Sta5 -> AA-3
        Evt16 Sta6 -> AA-3
        Evt16 Sta7 -> AA-3
        Evt16 Sta8 -> AA-3
        Evt16 Sta9 -> AA-3
        Evt16 Sta10 -> AA-3
        Evt16 Sta11 -> AA-3
        Evt16 Sta12 -> AA-3
        Evt16 Sta13 -> AA-2
        Evt17 Sta2 -> AA-5
        Evt17 Sta3 -> AA-4
        Evt17 Sta4 -> AA-4
        Evt17 Sta5 -> AA-4
        Evt17 Sta6 -> AA-4
        Evt17 Sta7 -> AA-4
        Evt17 Sta8 -> AA-4
        Evt17 Sta9 -> AA-4
        Evt17 Sta10 -> AA-4
        Evt17 Sta11 -> AA-4
        Evt17 Sta12 -> AA-4
        Evt17 Sta13 -> AR-5
        Evt18 Sta2 -> AA-2
        Evt18 Sta13 -> AA-2
        Evt19 Sta2 -> AA-1
        Evt19 Sta3 -> AA-8
        Evt19 Sta5 -> AA-8
        Evt19 Sta6 -> AA-8
        Evt19 Sta7 -> AA-8
        Evt19 Sta8 -> AA-8
        Evt19 Sta9 -> AA-8
        Evt19 Sta10 -> AA-8
        Evt19 Sta11 -> AA-8
        Evt19 Sta12 -> AA-8
        Evt19 Sta13 -> AA-7
        """;

    private static IEnumerable<(int Event, int State, string Action)> StandardCells() =>
        Standard.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(line =>
        {
            var parts = line.Split(' ');
            return (int.Parse(parts[0][3..], System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(parts[1][3..], System.Globalization.CultureInfo.InvariantCulture), parts[3].Replace("-", "", StringComparison.Ordinal));
        });

    public static IEnumerable<TestCaseData> Rows() =>
        StandardCells().Select(c => new TestCaseData(c.Event, c.State, c.Action).SetArgDisplayNames($"Evt{c.Event}", $"Sta{c.State}", c.Action));

    [TestCaseSource(nameof(Rows))]
    public void Lookup_DefinedCell_ActionOfTheStandard(int evt, int state, string action) =>
        Assert.That(StateTable.Lookup((AssociationEvent)evt, (AssociationState)state)?.ToString(), Is.EqualTo(action));

    [Test]
    public void Table_NoCellBeyondTheStandard()
    {
        var defined = StandardCells().Select(c => ((AssociationEvent)c.Event, (AssociationState)c.State)).ToHashSet();
        Assert.That(StateTable.All.Keys.Where(k => !defined.Contains(k)), Is.Empty);
        Assert.That(StateTable.All, Has.Count.EqualTo(123));
    }

    [Test]
    public void Paths_RequestorAssociateAndRelease()
    {
        var machine = new AssociationStateMachine(isRequestor: true);
        Assert.That(Walk(machine, LocalAssociateRequest, TransportConnectConfirm, AssociateAcReceived), Is.EqualTo(Established));
        Assert.That(Walk(machine, LocalPDataRequest, PDataReceived, LocalReleaseRequest), Is.EqualTo(AwaitingReleaseRp));
        Assert.That(Walk(machine, ReleaseRpReceived), Is.EqualTo(Idle));
    }

    [Test]
    public void Paths_AcceptorAssociateAndRelease()
    {
        var machine = new AssociationStateMachine(isRequestor: false);
        Assert.That(Walk(machine, TransportConnectIndication, AssociateRqReceived, LocalAssociateAccept), Is.EqualTo(Established));
        Assert.That(Walk(machine, ReleaseRqReceived, LocalReleaseResponse), Is.EqualTo(AwaitingTransportClose));
        Assert.That(Walk(machine, TransportClosed), Is.EqualTo(Idle));
    }

    [TestCase(true, ExpectedResult = new[] { CollisionRequestorAwaitingLocalResponse, CollisionRequestorAwaitingReleaseRp, Idle })]
    [TestCase(false, ExpectedResult = new[] { CollisionAcceptorAwaitingReleaseRp, CollisionAcceptorAwaitingLocalResponse, AwaitingTransportClose })]
    public AssociationState[] Paths_ReleaseCollision(bool isRequestor)
    {
        var machine = new AssociationStateMachine(isRequestor);
        Walk(machine, isRequestor ? [LocalAssociateRequest, TransportConnectConfirm, AssociateAcReceived] : [TransportConnectIndication, AssociateRqReceived, LocalAssociateAccept]);
        Walk(machine, LocalReleaseRequest);
        var first = Walk(machine, ReleaseRqReceived);
        // The requestor answers first (AR-9); the acceptor waits for the requestor's A-RELEASE-RP (AR-10).
        var second = isRequestor ? Walk(machine, LocalReleaseResponse) : Walk(machine, ReleaseRpReceived);
        var third = isRequestor ? Walk(machine, ReleaseRpReceived) : Walk(machine, LocalReleaseResponse);
        return [first, second, third];
    }

    [Test]
    public void PDataBeforeAssociation_AbortAndAwaitClose()
    {
        var machine = new AssociationStateMachine(isRequestor: false);
        machine.Apply(TransportConnectIndication);
        Assert.That(machine.Apply(PDataReceived), Is.EqualTo(AssociationAction.AA1));
        Assert.That(machine.State, Is.EqualTo(AwaitingTransportClose));
    }

    [Test]
    public void UndefinedCell_NoActionAndStateKept()
    {
        var machine = new AssociationStateMachine(isRequestor: false);
        Assert.That(machine.Apply(LocalPDataRequest), Is.Null);
        Assert.That(machine.State, Is.EqualTo(Idle));
    }

    private static AssociationState Walk(AssociationStateMachine machine, params AssociationEvent[] events)
    {
        foreach (var evt in events)
            Assert.That(machine.Apply(evt), Is.Not.Null, $"{evt} undefined in {machine.State}");
        return machine.State;
    }
}
