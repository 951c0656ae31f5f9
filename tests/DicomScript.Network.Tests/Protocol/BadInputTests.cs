using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Network.Association;
using DicomScript.Network.Dimse;
using DicomScript.Network.Pdu;
using DicomScript.Network.Scp;
using DicomScript.Network.Scu;
using DicomScript.Network.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Network.Tests.Protocol;

/// <summary>
/// What a misbehaving peer gets from our SCP: an A-ABORT or a close, a log line, nothing half-received
/// handed to a handler, no temporary file left, and a server that goes on serving.
/// </summary>
[TestFixture]
[NonParallelizable]
public class BadInputTests
{
    private const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(5);

    private DirectoryInfo _temporary = null!;

    [SetUp]
    public void CreateTemporaryFolder() => _temporary = Directory.CreateTempSubdirectory("spill-");

    [TearDown]
    public void DeleteTemporaryFolder() => _temporary.Delete(recursive: true);

    private TestServer Server(TimeSpan? artim = null, TimeSpan? idle = null, uint maxPdu = 16384, bool checkCalledAET = false, int maxAssociations = 64,
        IAssociationPolicy? policy = null) =>
        new(new DicomServerOptions
        {
            CheckCalledAETitle = checkCalledAET,
            MaxAssociations = maxAssociations,
            Association = new AssociationOptions
            {
                ArtimTimeout = artim ?? TimeSpan.FromSeconds(5),
                IdleTimeout = idle ?? TimeSpan.FromSeconds(30),
                MaxPduLength = maxPdu,
                SpillThreshold = 1024,
                TemporaryFolder = _temporary.FullName,
            },
        }, policy);

    private static async Task AssertStillServesAsync(TestServer server) =>
        Assert.That(await new DicomClient(new DicomClientOptions("127.0.0.1", server.Port, "CHECK", TestServer.AETitle)).EchoAsync(), Is.EqualTo(DimseStatus.Success));

    private static async Task<FakePeer> AssociateAsync(TestServer server, params PresentationContextRq[] contexts)
    {
        var peer = await FakePeer.ConnectAsync(server.Port);
        await peer.SendAsync(FakePeer.Request(TestServer.AETitle, contexts.Length > 0 ? contexts : [new PresentationContextRq(1, CtImageStorage, ["1.2.840.10008.1.2"])]));
        Assert.That(await peer.ReadAsync(), Is.InstanceOf<AAssociateAc>());
        return peer;
    }

    [Test]
    public async Task GarbageBytes_ClosedAndLogged()
    {
        await using var server = Server();
        using var peer = await FakePeer.ConnectAsync(server.Port);
        await peer.SendRawAsync([.. Enumerable.Range(0, 64).Select(i => (byte)(i * 37 + 11))]);
        Assert.That(await peer.IsClosedByServerAsync(Quick), Is.True);
        Assert.That(server.Logger.Contains("closed before association"), Is.True);
        await AssertStillServesAsync(server);
    }

    [Test]
    public async Task HttpRequestOnDicomPort_AbortedAndClosed()
    {
        await using var server = Server();
        using var peer = await FakePeer.ConnectAsync(server.Port);
        await peer.SendRawAsync("GET /system HTTP/1.1\r\nHost: localhost\r\n\r\n"u8.ToArray());
        Assert.That(await peer.ReadAsync(), Is.InstanceOf<AAbort>().Or.Null);
        Assert.That(await peer.IsClosedByServerAsync(Quick), Is.True);
        await AssertStillServesAsync(server);
    }

    [Test]
    public async Task AssociateRqDeclaringTwoMegabytes_ClosedWithoutReadingIt()
    {
        await using var server = Server();
        using var peer = await FakePeer.ConnectAsync(server.Port);
        await peer.SendRawAsync(FakePeer.Header(0x01, 2_000_000));
        Assert.That(await peer.ReadAsync(), Is.InstanceOf<AAbort>().Or.Null);
        Assert.That(await peer.IsClosedByServerAsync(Quick), Is.True);
        Assert.That(server.Logger.Contains("exceeds the limit"), Is.True);
    }

    [Test]
    public async Task PDataBeforeAssociation_AbortThenClose()
    {
        await using var server = Server();
        using var peer = await FakePeer.ConnectAsync(server.Port);
        await peer.SendAsync(new PDataTf([new Pdv(1, true, true, new byte[] { 1, 2 })]));
        Assert.That(await peer.ReadAsync(), Is.InstanceOf<AAbort>());
        Assert.That(await peer.IsClosedByServerAsync(Quick), Is.True);
        Assert.That(server.Stored, Is.Empty);
    }

    [Test]
    public async Task PDataLongerThanNegotiated_ProviderAbort()
    {
        await using var server = Server(maxPdu: 4096);
        using var peer = await AssociateAsync(server);
        await peer.SendAsync(new PDataTf([new Pdv(1, false, false, new byte[8000])]));
        var abort = await peer.ReadAsync();
        Assert.That(abort, Is.InstanceOf<AAbort>());
        Assert.That(((AAbort)abort!).Source, Is.EqualTo(AbortSource.ServiceProvider));
        Assert.That(await peer.IsClosedByServerAsync(Quick), Is.True);
        Assert.That(server.Logger.Contains("exceeds the limit"), Is.True);
    }

    [Test]
    public async Task UnknownPduTypeAfterAssociation_ProviderAbort()
    {
        await using var server = Server();
        using var peer = await AssociateAsync(server);
        await peer.SendRawAsync([0x09, 0, 0, 0, 0, 2, 0, 0]);
        Assert.That(await peer.ReadAsync(), Is.InstanceOf<AAbort>());
        Assert.That(await peer.IsClosedByServerAsync(Quick), Is.True);
    }

    [Test]
    public async Task PeerVanishesMidDataset_NothingStoredNoTemporaryFileLeft()
    {
        PydicomCorpus.Require();
        await using var server = Server();
        var file = DicomFile.Open(PydicomCorpus.FullPath("test_files/CT_small.dcm"));
        byte[] dataset;
        using (var stream = new MemoryStream())
        {
            DicomWriter.WriteDataset(stream, file.Dataset, DicomTransferSyntax.ImplicitVRLittleEndian);
            dataset = stream.ToArray();
        }

        using (var peer = await AssociateAsync(server))
        {
            var command = DimseCommands.Request(CommandField.CStoreRq, 1, CtImageStorage, hasDataSet: true)
                .AddUInt16(DicomTags.MessageID, 1)
                .AddString(DicomTags.AffectedSOPInstanceUID, DicomVR.UI, file.Dataset.GetString(DicomTags.SOPInstanceUID)!);
            await peer.SendAsync(new PDataTf([new Pdv(1, true, true, DimseCommands.Encode(command))]));
            // More than the 1 KB spill threshold, so the partial dataset is in a temporary file now.
            await peer.SendAsync(new PDataTf([new Pdv(1, false, false, dataset.AsMemory(0, 8000))]));
            await Task.Delay(200);
        }

        var deadline = DateTime.UtcNow + Quick;
        while (server.Server.ActiveAssociations > 0 && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        Assert.That(server.Server.ActiveAssociations, Is.Zero);
        Assert.That(server.Stored, Is.Empty, "a partial dataset reached the handler");
        Assert.That(_temporary.GetFiles(), Is.Empty, "a temporary file was left behind");
        await AssertStillServesAsync(server);
    }

    [Test]
    public async Task LargeDataset_SpilledToTemporaryFileAndRemovedAfterwards()
    {
        PydicomCorpus.Require();
        await using var server = Server();
        var file = DicomFile.Open(PydicomCorpus.FullPath("test_files/CT_small.dcm"));
        var statuses = await new DicomClient(new DicomClientOptions("127.0.0.1", server.Port, "SCU", TestServer.AETitle)).StoreAsync([file]);
        Assert.That(statuses, Is.EqualTo(new[] { DimseStatus.Success }));
        var stored = server.Stored[file.Dataset.GetString(DicomTags.SOPInstanceUID)!];
        Assert.That(stored.Request.DataSet.IsSpilledToFile, Is.True, "39 KB is over the 1 KB threshold");
        Assert.That(DatasetComparer.Differences(file.Dataset, stored.Dataset, compareVRs: true), Is.Empty);
        Assert.That(_temporary.GetFiles(), Is.Empty, "the temporary file is deleted once the message is handled");
    }

    [Test]
    public async Task SilentPeerBeforeAssociation_ClosedAfterArtim()
    {
        await using var server = Server(artim: TimeSpan.FromMilliseconds(500));
        using var peer = await FakePeer.ConnectAsync(server.Port);
        Assert.That(await peer.IsClosedByServerAsync(Quick), Is.True);
        Assert.That(server.Logger.Contains("no A-ASSOCIATE-RQ within"), Is.True);
    }

    [Test]
    public async Task SilentPeerAfterAssociation_AbortedAfterIdleTimeout()
    {
        await using var server = Server(idle: TimeSpan.FromMilliseconds(500));
        using var peer = await AssociateAsync(server);
        Assert.That(await peer.ReadAsync(Quick), Is.InstanceOf<AAbort>());
        Assert.That(await peer.IsClosedByServerAsync(Quick), Is.True);
        Assert.That(server.Logger.Contains("nothing received"), Is.True);
    }

    [Test]
    public async Task WrongCalledAETitle_RejectedPermanentlyWithReason7()
    {
        // After the reject the requestor should close; a peer that does not is cut off when ARTIM expires.
        await using var server = Server(checkCalledAET: true, artim: TimeSpan.FromMilliseconds(500));
        using var peer = await FakePeer.ConnectAsync(server.Port);
        await peer.SendAsync(FakePeer.Request("SOMEONEELSE", new PresentationContextRq(1, "1.2.840.10008.1.1", ["1.2.840.10008.1.2"])));
        Assert.That(await peer.ReadAsync(), Is.EqualTo(new AAssociateRj(RejectResult.Permanent, RejectSource.ServiceUser, RejectReasons.CalledAETitleNotRecognized)));
        Assert.That(await peer.IsClosedByServerAsync(Quick), Is.True);
    }

    [Test]
    public async Task CallingAETitleRefusedByPolicy_RejectedWithReason3()
    {
        await using var server = Server(policy: new DenyAll());
        var error = await Assert.ThrowsAsync<DicomNetworkException>(() =>
            new DicomClient(new DicomClientOptions("127.0.0.1", server.Port, "INTRUDER", TestServer.AETitle)).EchoAsync());
        Assert.That(error!.Reason, Is.EqualTo(NetworkError.Rejected));
        Assert.That(error.Message, Does.Contain("reason 3"));
        Assert.That(server.Logger.Contains("INTRUDER is not allowed"), Is.True);
    }

    [Test]
    public async Task OverAssociationLimit_RejectedTransiently()
    {
        await using var server = Server(maxAssociations: 1);
        using var first = await AssociateAsync(server);
        using var second = await FakePeer.ConnectAsync(server.Port);
        await second.SendAsync(FakePeer.Request(TestServer.AETitle, new PresentationContextRq(1, "1.2.840.10008.1.1", ["1.2.840.10008.1.2"])));
        Assert.That(await second.ReadAsync(), Is.EqualTo(new AAssociateRj(RejectResult.Transient, RejectSource.ServiceProviderPresentation, RejectReasons.LocalLimitExceeded)));
    }

    [Test]
    public async Task PeerClosingWhileServerStops_StopsWithoutError()
    {
        // The server's abort of an open association races the association's own disposal when the
        // peer hangs up at the same moment; neither may throw at the other (seen once in CI).
        for (var round = 0; round < 40; round++)
        {
            var server = Server();
            var peer = await AssociateAsync(server);
            var hangUp = Task.Run(peer.Dispose);
            var stop = server.DisposeAsync().AsTask();
            await Task.WhenAll(hangUp, stop);
        }
    }

    [Test]
    public async Task UnsupportedAbstractSyntax_ContextRefusedOthersAccepted()
    {
        await using var server = Server();
        using var peer = await FakePeer.ConnectAsync(server.Port);
        await peer.SendAsync(FakePeer.Request(TestServer.AETitle,
            new PresentationContextRq(1, "1.2.3.4.5.6.7", ["1.2.840.10008.1.2"]),
            new PresentationContextRq(3, "1.2.840.10008.1.1", ["1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2"])));
        var ac = (AAssociateAc)(await peer.ReadAsync())!;
        Assert.That(ac.PresentationContexts, Is.EqualTo(new[]
        {
            new PresentationContextAc(1, PresentationContextResult.AbstractSyntaxNotSupported, "1.2.840.10008.1.2"),
            new PresentationContextAc(3, PresentationContextResult.Acceptance, "1.2.840.10008.1.2"),
        }));
    }

    [Test]
    public async Task UnknownSopClass_AcceptedOnlyWhenAllowed()
    {
        await using var server = new TestServer(new DicomServerOptions { AcceptUnknownSopClasses = true });
        using var peer = await FakePeer.ConnectAsync(server.Port);
        await peer.SendAsync(FakePeer.Request(TestServer.AETitle, new PresentationContextRq(1, "1.2.3.4.5.6.7", ["1.2.840.10008.1.2"])));
        var ac = (AAssociateAc)(await peer.ReadAsync())!;
        Assert.That(ac.PresentationContexts.Single().Result, Is.EqualTo(PresentationContextResult.Acceptance));
    }

    [Test]
    public async Task ReleaseRequest_ReleaseResponseThenClose()
    {
        await using var server = Server();
        using var peer = await AssociateAsync(server);
        await peer.SendAsync(new AReleaseRq());
        Assert.That(await peer.ReadAsync(), Is.InstanceOf<AReleaseRp>());
    }

    [Test]
    public async Task HandlerThrows_FailureStatusAndAssociationGoesOn()
    {
        PydicomCorpus.Require();
        await using var server = Server();
        server.StoreFailure = new InvalidOperationException("disk on fire");
        var file = DicomFile.Open(PydicomCorpus.FullPath("test_files/MR_small.dcm"));
        var statuses = await new DicomClient(new DicomClientOptions("127.0.0.1", server.Port, "SCU", TestServer.AETitle)).StoreAsync([file, file]);
        Assert.That(statuses, Is.EqualTo(new[] { DimseStatus.ProcessingFailure, DimseStatus.ProcessingFailure }));
        Assert.That(server.Logger.Contains("disk on fire"), Is.True);
    }

    private sealed class DenyAll : IAssociationPolicy
    {
        public string? Check(AssociationInfo caller) => $"{caller.CallingAETitle} is not allowed";
    }
}
