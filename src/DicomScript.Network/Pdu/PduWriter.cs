using System.Buffers.Binary;

namespace DicomScript.Network.Pdu;

/// <summary>Writes PDUs to a stream; P-DATA-TF values are written from their buffers without copying.</summary>
public static class PduWriter
{
    public static async ValueTask WriteAsync(Stream stream, Pdu pdu, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (pdu is not PDataTf data)
        {
            await stream.WriteAsync(PduEncoder.Encode(pdu), cancellationToken).ConfigureAwait(false);
            return;
        }

        var length = data.Pdvs.Sum(p => 6L + p.Data.Length);
        var header = new byte[6];
        header[0] = (byte)PduType.PDataTf;
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(2), (uint)length);
        await stream.WriteAsync(header, cancellationToken).ConfigureAwait(false);
        foreach (var pdv in data.Pdvs)
        {
            var pdvHeader = new byte[6];
            BinaryPrimitives.WriteUInt32BigEndian(pdvHeader, (uint)(pdv.Data.Length + 2));
            pdvHeader[4] = pdv.PresentationContextId;
            pdvHeader[5] = MessageControlHeader(pdv);
            await stream.WriteAsync(pdvHeader, cancellationToken).ConfigureAwait(false);
            await stream.WriteAsync(pdv.Data, cancellationToken).ConfigureAwait(false);
        }
    }

    internal static byte MessageControlHeader(Pdv pdv) => (byte)((pdv.IsCommand ? 1 : 0) | (pdv.IsLast ? 2 : 0));
}
