using System.Buffers.Binary;
using System.Text;

namespace DicomScript.Network.Pdu;

/// <summary>
/// Decodes the variable field of a PDU (the bytes after the 6-byte header). Every item length is
/// checked against the bytes that remain; anything inconsistent is a <see cref="NetworkError.MalformedPdu"/>.
/// Unknown items are skipped, as PS3.8 §9.3.1 asks of a receiver.
/// </summary>
public static class PduDecoder
{
    public static Pdu Decode(PduType type, ReadOnlyMemory<byte> body) => type switch
    {
        PduType.AssociateRq => DecodeAssociateRq(body.Span),
        PduType.AssociateAc => DecodeAssociateAc(body.Span),
        PduType.AssociateRj => Need(body.Span, 4, "A-ASSOCIATE-RJ") is var rj
            ? new AAssociateRj((RejectResult)rj[1], (RejectSource)rj[2], rj[3])
            : null!,
        PduType.PDataTf => DecodePData(body),
        PduType.ReleaseRq => new AReleaseRq(),
        PduType.ReleaseRp => new AReleaseRp(),
        PduType.Abort => Need(body.Span, 4, "A-ABORT") is var ab ? new AAbort((AbortSource)ab[2], (AbortReason)ab[3]) : null!,
        _ => throw Malformed($"unknown PDU type 0x{(byte)type:x2}"),
    };

    private static ReadOnlySpan<byte> Need(ReadOnlySpan<byte> body, int length, string what) =>
        body.Length >= length ? body : throw Malformed($"{what} is {body.Length} bytes, expected at least {length}");

    private static AAssociateRq DecodeAssociateRq(ReadOnlySpan<byte> body)
    {
        var (called, calling) = AssociateHeader(body);
        string applicationContext = "";
        var contexts = new List<PresentationContextRq>();
        UserInformation? user = null;
        var valueItems = body[68..];
        foreach (var (type, valueOffset, valueLength) in Items(valueItems, "A-ASSOCIATE-RQ"))
        {
            var value = valueItems.Slice(valueOffset, valueLength);
            switch (type)
            {
                case 0x10:
                    applicationContext = Text(value);
                    break;
                case 0x20:
                    if (value.Length < 4)
                        throw Malformed("presentation context item too short");
                    string? abstractSyntax = null;
                    var transferSyntaxes = new List<string>();
                    var subValueItems = value[4..];
                    foreach (var (subType, subValueOffset, subValueLength) in Items(subValueItems, "presentation context"))
                    {
                        var subValue = subValueItems.Slice(subValueOffset, subValueLength);
                        if (subType == 0x30)
                            abstractSyntax = Text(subValue);
                        else if (subType == 0x40)
                            transferSyntaxes.Add(Text(subValue));
                    }

                    contexts.Add(new PresentationContextRq(value[0], abstractSyntax ?? throw Malformed($"presentation context {value[0]} has no abstract syntax"), transferSyntaxes));
                    break;
                case 0x50:
                    user = DecodeUserInformation(value);
                    break;
            }
        }

        return new AAssociateRq(called, calling, contexts, user ?? new UserInformation(), applicationContext);
    }

    private static AAssociateAc DecodeAssociateAc(ReadOnlySpan<byte> body)
    {
        var (called, calling) = AssociateHeader(body);
        string applicationContext = "";
        var contexts = new List<PresentationContextAc>();
        UserInformation? user = null;
        var valueItems = body[68..];
        foreach (var (type, valueOffset, valueLength) in Items(valueItems, "A-ASSOCIATE-AC"))
        {
            var value = valueItems.Slice(valueOffset, valueLength);
            switch (type)
            {
                case 0x10:
                    applicationContext = Text(value);
                    break;
                case 0x21:
                    if (value.Length < 4)
                        throw Malformed("presentation context item too short");
                    var transferSyntax = "";
                    var subValueItems = value[4..];
                    foreach (var (subType, subValueOffset, subValueLength) in Items(subValueItems, "presentation context"))
                    {
                        var subValue = subValueItems.Slice(subValueOffset, subValueLength);
                        if (subType == 0x40)
                            transferSyntax = Text(subValue);
                    }

                    contexts.Add(new PresentationContextAc(value[0], (PresentationContextResult)value[2], transferSyntax));
                    break;
                case 0x50:
                    user = DecodeUserInformation(value);
                    break;
            }
        }

        return new AAssociateAc(called, calling, contexts, user ?? new UserInformation(), applicationContext);
    }

    private static (string Called, string Calling) AssociateHeader(ReadOnlySpan<byte> body)
    {
        if (body.Length < 68)
            throw Malformed($"A-ASSOCIATE PDU is {body.Length} bytes, shorter than its fixed fields");
        return (Encoding.ASCII.GetString(body.Slice(4, 16)).Trim(' ', '\0'), Encoding.ASCII.GetString(body.Slice(20, 16)).Trim(' ', '\0'));
    }

    private static UserInformation DecodeUserInformation(ReadOnlySpan<byte> value)
    {
        var info = new UserInformation();
        var roles = new List<RoleSelection>();
        var negotiations = new List<ExtendedNegotiation>();
        var others = new List<(byte, byte[])>();
        var subItems = value;
        foreach (var (type, subOffset, subLength) in Items(subItems, "user information"))
        {
            var sub = subItems.Slice(subOffset, subLength);
            switch (type)
            {
                case 0x51:
                    info = info with { MaxPduLength = BinaryPrimitives.ReadUInt32BigEndian(Need(sub, 4, "maximum length item")) };
                    break;
                case 0x52:
                    info = info with { ImplementationClassUid = Text(sub) };
                    break;
                case 0x53:
                    var w = Need(sub, 4, "asynchronous operations window");
                    info = info with { AsyncOperationsWindow = (BinaryPrimitives.ReadUInt16BigEndian(w), BinaryPrimitives.ReadUInt16BigEndian(w[2..])) };
                    break;
                case 0x54:
                    var roleUid = Prefixed(sub, "role selection", out var roleConsumed);
                    var roleRest = Need(sub[roleConsumed..], 2, "role selection");
                    roles.Add(new RoleSelection(Text(roleUid), roleRest[0] == 1, roleRest[1] == 1));
                    break;
                case 0x55:
                    info = info with { ImplementationVersionName = Text(sub) };
                    break;
                case 0x56:
                    var negotiationUid = Prefixed(sub, "extended negotiation", out var negotiationConsumed);
                    negotiations.Add(new ExtendedNegotiation(Text(negotiationUid), sub[negotiationConsumed..].ToArray()));
                    break;
                case 0x58:
                    var u = Need(sub, 2, "user identity");
                    var primary = Prefixed(u[2..], "user identity", out var primaryConsumed);
                    var afterPrimary = u[(2 + primaryConsumed)..];
                    var secondary = afterPrimary.Length >= 2 ? Prefixed(afterPrimary, "user identity", out _) : [];
                    info = info with { UserIdentity = new UserIdentityRq((UserIdentityType)u[0], u[1] == 1, primary.ToArray(), secondary.ToArray()) };
                    break;
                case 0x59:
                    var response = Prefixed(sub, "user identity response", out _);
                    info = info with { UserIdentityResponse = response.ToArray() };
                    break;
                default:
                    others.Add((type, sub.ToArray()));
                    break;
            }
        }

        return info with { RoleSelections = roles, ExtendedNegotiations = negotiations, OtherItems = others };
    }

    // A 2-byte big-endian length followed by that many bytes; returns the bytes and what follows.
    private static ReadOnlySpan<byte> Prefixed(ReadOnlySpan<byte> data, string what, out int consumed)
    {
        Need(data, 2, what);
        var length = BinaryPrimitives.ReadUInt16BigEndian(data);
        if (length > data.Length - 2)
            throw Malformed($"{what} declares {length} bytes, {data.Length - 2} present");
        consumed = 2 + length;
        return data.Slice(2, length);
    }

    // The items of a PDU or item: type (1), reserved (1), length (2, big-endian), value.
    private static List<(byte Type, int Offset, int Length)> Items(ReadOnlySpan<byte> data, string where)
    {
        var items = new List<(byte, int, int)>();
        var position = 0;
        while (position < data.Length)
        {
            if (data.Length - position < 4)
                throw Malformed($"{where} ends inside an item header");
            var length = BinaryPrimitives.ReadUInt16BigEndian(data[(position + 2)..]);
            if (length > data.Length - position - 4)
                throw Malformed($"item 0x{data[position]:x2} in {where} declares {length} bytes, {data.Length - position - 4} present");
            items.Add((data[position], position + 4, length));
            position += 4 + length;
        }

        return items;
    }

    private static PDataTf DecodePData(ReadOnlyMemory<byte> body)
    {
        var pdvs = new List<Pdv>();
        var span = body.Span;
        var position = 0;
        while (position < span.Length)
        {
            if (span.Length - position < 6)
                throw Malformed("P-DATA-TF ends inside a PDV header");
            var length = BinaryPrimitives.ReadUInt32BigEndian(span[position..]);
            if (length < 2 || length > span.Length - position - 4)
                throw Malformed($"PDV declares {length} bytes, {span.Length - position - 4} present");
            var header = span[position + 5];
            pdvs.Add(new Pdv(span[position + 4], (header & 1) == 1, (header & 2) == 2, body.Slice(position + 6, (int)length - 2)));
            position += 4 + (int)length;
        }

        if (pdvs.Count == 0)
            throw Malformed("P-DATA-TF without PDV");
        return new PDataTf(pdvs);
    }

    private static string Text(ReadOnlySpan<byte> value) => Encoding.ASCII.GetString(value).Trim(' ', '\0');

    internal static DicomNetworkException Malformed(string message) => new(NetworkError.MalformedPdu, message);
}
