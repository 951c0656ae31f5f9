using System.Net;
using System.Net.Sockets;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Network.Pdu;
using NUnit.Framework;

namespace DicomScript.Network.Tests.Protocol;

[TestFixture]
public class PduTests
{
    [Test]
    public async Task AssociateRq_CapturedFromEchoscu_DecodesAndReencodesToTheSameBytes()
    {
        var echoscu = ExternalTools.Require("echoscu", "dcmtk");
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var run = Task.Run(() => ExternalTools.Run(echoscu, ["-aet", "GOLDENSCU", "-aec", "GOLDENSCP", "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]));

        byte[] captured;
        using (var client = await listener.AcceptTcpClientAsync())
        {
            var stream = client.GetStream();
            var header = new byte[6];
            await stream.ReadExactlyAsync(header);
            var length = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(2));
            captured = new byte[6 + length];
            header.CopyTo(captured, 0);
            await stream.ReadExactlyAsync(captured.AsMemory(6));
        }

        await run; // echoscu gives up once we close
        var rq = (AAssociateRq)PduDecoder.Decode((PduType)captured[0], captured.AsMemory(6));
        Assert.That(rq.CalledAETitle, Is.EqualTo("GOLDENSCP"));
        Assert.That(rq.CallingAETitle, Is.EqualTo("GOLDENSCU"));
        Assert.That(rq.ApplicationContext, Is.EqualTo(AAssociateRq.DicomApplicationContext));
        Assert.That(rq.PresentationContexts.Select(pc => pc.AbstractSyntax), Has.Member("1.2.840.10008.1.1"));
        Assert.That(rq.UserInformation.MaxPduLength, Is.EqualTo(16384));
        Assert.That(rq.UserInformation.ImplementationClassUid, Does.StartWith("1.2.276.0.7230010.3"));
        Assert.That(rq.UserInformation.ImplementationVersionName, Does.StartWith("OFFIS_DCMTK"));
        Assert.That(PduEncoder.Encode(rq), Is.EqualTo(WithReservedBytesZeroed(captured)), "our encoding of what we decoded is dcmtk's bytes");
    }

    // PS3.8 reserved fields "shall be sent with a value 00H but not tested"; dcmtk sends FFH in one of
    // a presentation context item's. Zero them before comparing.
    private static byte[] WithReservedBytesZeroed(byte[] pdu)
    {
        var copy = (byte[])pdu.Clone();
        var position = 6 + 68;
        while (position + 4 <= copy.Length)
        {
            var length = (copy[position + 2] << 8) | copy[position + 3];
            if (copy[position] == 0x20)
            {
                copy[position + 5] = 0;
                copy[position + 6] = 0;
                copy[position + 7] = 0;
            }

            position += 4 + length;
        }

        return copy;
    }

    [Test]
    public void Release_Abort_Reject_GoldenBytes()
    {
        Assert.That(PduEncoder.Encode(new AReleaseRq()), Is.EqualTo(new byte[] { 0x05, 0, 0, 0, 0, 4, 0, 0, 0, 0 }));
        Assert.That(PduEncoder.Encode(new AReleaseRp()), Is.EqualTo(new byte[] { 0x06, 0, 0, 0, 0, 4, 0, 0, 0, 0 }));
        Assert.That(PduEncoder.Encode(new AAbort(AbortSource.ServiceProvider, AbortReason.UnexpectedPdu)),
            Is.EqualTo(new byte[] { 0x07, 0, 0, 0, 0, 4, 0, 0, 2, 2 }));
        Assert.That(PduEncoder.Encode(new AAssociateRj(RejectResult.Permanent, RejectSource.ServiceUser, RejectReasons.CalledAETitleNotRecognized)),
            Is.EqualTo(new byte[] { 0x03, 0, 0, 0, 0, 4, 0, 1, 1, 7 }));
    }

    [Test]
    public void PData_TwoPdvs_GoldenBytesAndBack()
    {
        var pdu = new PDataTf([new Pdv(1, true, true, new byte[] { 0xAA, 0xBB }), new Pdv(3, false, false, new byte[] { 0xCC })]);
        byte[] expected = [0x04, 0, 0, 0, 0, 15, 0, 0, 0, 4, 1, 0x03, 0xAA, 0xBB, 0, 0, 0, 3, 3, 0x00, 0xCC];
        Assert.That(PduEncoder.Encode(pdu), Is.EqualTo(expected));
        var back = (PDataTf)PduDecoder.Decode(PduType.PDataTf, expected.AsMemory(6));
        Assert.That(back.Pdvs.Select(p => (p.PresentationContextId, p.IsCommand, p.IsLast, p.Data.Length)),
            Is.EqualTo(new[] { ((byte)1, true, true, 2), ((byte)3, false, false, 1) }));
    }

    [Test]
    public void UserInformation_EverySubItem_RoundTrips()
    {
        var rq = new AAssociateRq("CALLED", "CALLING", [new PresentationContextRq(1, "1.2.840.10008.5.1.4.1.2.2.3", ["1.2.840.10008.1.2.1", "1.2.840.10008.1.2"])],
            new UserInformation
            {
                MaxPduLength = 65536,
                ImplementationClassUid = "1.2.3",
                ImplementationVersionName = "V1",
                AsyncOperationsWindow = (2, 3),
                RoleSelections = [new RoleSelection("1.2.840.10008.5.1.4.1.1.2", false, true)],
                ExtendedNegotiations = [new ExtendedNegotiation("1.2.840.10008.5.1.4.1.2.2.1", [1, 1, 0])],
                UserIdentity = new UserIdentityRq(UserIdentityType.UsernameAndPasscode, true, "alice"u8.ToArray(), "secret"u8.ToArray()),
                OtherItems = [(0x57, new byte[] { 0, 3, (byte)'1', (byte)'.', (byte)'2', 0, 0, 0, 0 })],
            });
        var bytes = PduEncoder.Encode(rq);
        var back = (AAssociateRq)PduDecoder.Decode(PduType.AssociateRq, bytes.AsMemory(6));
        Assert.That(PduEncoder.Encode(back), Is.EqualTo(bytes));
        Assert.That(back.UserInformation.AsyncOperationsWindow, Is.EqualTo(((ushort)2, (ushort)3)));
        Assert.That(back.UserInformation.RoleSelections.Single(), Is.EqualTo(new RoleSelection("1.2.840.10008.5.1.4.1.1.2", false, true)));
        Assert.That(back.UserInformation.UserIdentity!.SecondaryField, Is.EqualTo("secret"u8.ToArray()));
        Assert.That(back.UserInformation.ExtendedNegotiations.Single().ApplicationInformation, Is.EqualTo(new byte[] { 1, 1, 0 }));
    }

    [Test]
    public void Decode_ItemLengthBeyondPdu_MalformedPdu()
    {
        var bytes = PduEncoder.Encode(FakeRequest());
        bytes[6 + 68 + 3] = 0xFF; // the application context item claims 255 more bytes than it has
        var error = Assert.Throws<DicomNetworkException>(() => PduDecoder.Decode(PduType.AssociateRq, bytes.AsMemory(6)));
        Assert.That(error!.Reason, Is.EqualTo(NetworkError.MalformedPdu));
    }

    [Test]
    public void Decode_TruncatedAssociateRq_MalformedPdu()
    {
        var error = Assert.Throws<DicomNetworkException>(() => PduDecoder.Decode(PduType.AssociateRq, new byte[40]));
        Assert.That(error!.Reason, Is.EqualTo(NetworkError.MalformedPdu));
    }

    [Test]
    public async Task Read_DeclaredLengthOverLimit_RefusedBeforeReadingTheBody()
    {
        using var stream = new MemoryStream(Support.FakePeer.Header(0x04, 100_000));
        var error = Assert.ThrowsAsync<DicomNetworkException>(async () => await PduReader.ReadAsync(stream, 16384, CancellationToken.None));
        Assert.That((await error)!.Reason, Is.EqualTo(NetworkError.PduTooLong));
    }

    [Test]
    public async Task Read_UnknownType_MalformedPdu()
    {
        using var stream = new MemoryStream("GET / HTTP/1.1\r\n\r\n"u8.ToArray());
        var error = await Assert.ThrowsAsync<DicomNetworkException>(async () => await PduReader.ReadAsync(stream, 16384, CancellationToken.None));
        Assert.That(error!.Reason, Is.EqualTo(NetworkError.MalformedPdu));
    }

    private static AAssociateRq FakeRequest() => Support.FakePeer.Request("X", new PresentationContextRq(1, "1.2.840.10008.1.1", ["1.2.840.10008.1.2"]));
}
