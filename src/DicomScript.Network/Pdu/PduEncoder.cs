using System.Buffers.Binary;
using System.Text;

namespace DicomScript.Network.Pdu;

/// <summary>Encodes PDUs (PS3.8 §9.3): big-endian lengths, AE titles padded to 16 bytes with spaces.</summary>
public static class PduEncoder
{
    /// <summary>The whole PDU, header included. P-DATA-TF data is copied: use <see cref="PduWriter"/> on the hot path.</summary>
    public static byte[] Encode(Pdu pdu)
    {
        ArgumentNullException.ThrowIfNull(pdu);
        var body = new List<byte>();
        switch (pdu)
        {
            case AAssociateRq rq:
                AssociateHeader(body, rq.CalledAETitle, rq.CallingAETitle);
                Item(body, 0x10, Ascii(rq.ApplicationContext));
                foreach (var pc in rq.PresentationContexts)
                {
                    var value = new List<byte> { pc.Id, 0, 0, 0 };
                    Item(value, 0x30, Ascii(pc.AbstractSyntax));
                    foreach (var ts in pc.TransferSyntaxes)
                        Item(value, 0x40, Ascii(ts));
                    Item(body, 0x20, [.. value]);
                }

                Item(body, 0x50, UserInformationValue(rq.UserInformation));
                break;
            case AAssociateAc ac:
                AssociateHeader(body, ac.CalledAETitle, ac.CallingAETitle);
                Item(body, 0x10, Ascii(ac.ApplicationContext));
                foreach (var pc in ac.PresentationContexts)
                {
                    var value = new List<byte> { pc.Id, 0, (byte)pc.Result, 0 };
                    Item(value, 0x40, Ascii(pc.TransferSyntax));
                    Item(body, 0x21, [.. value]);
                }

                Item(body, 0x50, UserInformationValue(ac.UserInformation));
                break;
            case AAssociateRj rj:
                body.AddRange([0, (byte)rj.Result, (byte)rj.Source, rj.Reason]);
                break;
            case PDataTf data:
                foreach (var pdv in data.Pdvs)
                {
                    Append(body, (uint)(pdv.Data.Length + 2));
                    body.Add(pdv.PresentationContextId);
                    body.Add(PduWriter.MessageControlHeader(pdv));
                    body.AddRange(pdv.Data.ToArray());
                }

                break;
            case AReleaseRq or AReleaseRp:
                body.AddRange([0, 0, 0, 0]);
                break;
            case AAbort abort:
                body.AddRange([0, 0, (byte)abort.Source, (byte)abort.Reason]);
                break;
        }

        var pduBytes = new byte[6 + body.Count];
        pduBytes[0] = (byte)pdu.Type;
        BinaryPrimitives.WriteUInt32BigEndian(pduBytes.AsSpan(2), (uint)body.Count);
        body.CopyTo(pduBytes, 6);
        return pduBytes;
    }

    private static void AssociateHeader(List<byte> body, string called, string calling)
    {
        body.AddRange([0x00, 0x01, 0, 0]); // protocol version 1, reserved
        body.AddRange(AETitle(called));
        body.AddRange(AETitle(calling));
        body.AddRange(new byte[32]);
    }

    private static byte[] UserInformationValue(UserInformation info)
    {
        var value = new List<byte>();
        var maxLength = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(maxLength, info.MaxPduLength);
        Item(value, 0x51, maxLength);
        Item(value, 0x52, Ascii(info.ImplementationClassUid));
        if (info.AsyncOperationsWindow is { } window)
        {
            var w = new byte[4];
            BinaryPrimitives.WriteUInt16BigEndian(w, window.Invoked);
            BinaryPrimitives.WriteUInt16BigEndian(w.AsSpan(2), window.Performed);
            Item(value, 0x53, w);
        }

        foreach (var role in info.RoleSelections)
        {
            var r = new List<byte>();
            Append16(r, Ascii(role.SopClassUid));
            r.Add(role.ScuRole ? (byte)1 : (byte)0);
            r.Add(role.ScpRole ? (byte)1 : (byte)0);
            Item(value, 0x54, [.. r]);
        }

        if (info.ImplementationVersionName is { } version)
            Item(value, 0x55, Ascii(version));
        foreach (var negotiation in info.ExtendedNegotiations)
        {
            var n = new List<byte>();
            Append16(n, Ascii(negotiation.SopClassUid));
            n.AddRange(negotiation.ApplicationInformation);
            Item(value, 0x56, [.. n]);
        }

        foreach (var (type, raw) in info.OtherItems)
            Item(value, type, raw);
        if (info.UserIdentity is { } identity)
        {
            var u = new List<byte> { (byte)identity.IdentityType, identity.PositiveResponseRequested ? (byte)1 : (byte)0 };
            Append16(u, identity.PrimaryField);
            Append16(u, identity.SecondaryField);
            Item(value, 0x58, [.. u]);
        }

        if (info.UserIdentityResponse is { } response)
        {
            var u = new List<byte>();
            Append16(u, response);
            Item(value, 0x59, [.. u]);
        }

        return [.. value];
    }

    private static void Item(List<byte> target, byte type, byte[] value)
    {
        target.Add(type);
        target.Add(0);
        target.Add((byte)(value.Length >> 8));
        target.Add((byte)value.Length);
        target.AddRange(value);
    }

    private static void Append16(List<byte> target, byte[] value)
    {
        target.Add((byte)(value.Length >> 8));
        target.Add((byte)value.Length);
        target.AddRange(value);
    }

    private static void Append(List<byte> target, uint value)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, value);
        target.AddRange(b);
    }

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static byte[] AETitle(string title)
    {
        var bytes = Enumerable.Repeat((byte)' ', 16).ToArray();
        var ascii = Encoding.ASCII.GetBytes(title);
        Array.Copy(ascii, bytes, Math.Min(16, ascii.Length));
        return bytes;
    }
}
