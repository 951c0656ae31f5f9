using System.Buffers.Binary;

namespace DicomScript.Network.Pdu;

/// <summary>
/// Reads whole PDUs from a stream. The declared length is checked against the limit before the
/// body is allocated: P-DATA-TF against the maximum length we announced, other PDUs against a fixed
/// bound (association negotiation needs a few kilobytes).
/// </summary>
public static class PduReader
{
    /// <summary>Largest A-ASSOCIATE-RQ/AC and other non-data PDU accepted.</summary>
    public const int MaxControlPduLength = 1 << 20;

    /// <summary>The next PDU, or null when the peer closed the connection between PDUs.</summary>
    /// <param name="stream">The connection.</param>
    /// <param name="maxDataPduLength">Largest P-DATA-TF variable field accepted; 0 for no limit beyond 2 GiB.</param>
    /// <param name="cancellationToken">Cancels the read (timeouts are implemented with it).</param>
    public static ValueTask<Pdu?> ReadAsync(Stream stream, uint maxDataPduLength, CancellationToken cancellationToken) =>
        ReadAsync(stream, maxDataPduLength, reusableBuffer: null, cancellationToken);

    /// <summary>
    /// Reads the next PDU into <paramref name="reusableBuffer"/> when given (grown as needed): PDVs of
    /// the result are slices of it, valid only until the next read with the same buffer. An
    /// association's reader copies what it keeps, so it reads every PDU into one buffer instead of
    /// allocating a new (often large-object-heap) array per PDU.
    /// </summary>
    public static async ValueTask<Pdu?> ReadAsync(Stream stream, uint maxDataPduLength, ReceiveBuffer? reusableBuffer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var header = new byte[6];
        var got = await ReadAtLeastAsync(stream, header, cancellationToken).ConfigureAwait(false);
        if (got == 0)
            return null;
        if (got < 6)
            throw new DicomNetworkException(NetworkError.ConnectionClosed, "connection closed inside a PDU header");

        var type = header[0];
        var length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(2));
        if (type is < 1 or > 7)
            throw PduDecoder.Malformed($"unknown PDU type 0x{type:x2} (not DICOM, or out of step)");
        var limit = type == (byte)PduType.PDataTf
            ? maxDataPduLength == 0 ? int.MaxValue : maxDataPduLength
            : MaxControlPduLength;
        if (length > limit)
            throw new DicomNetworkException(NetworkError.PduTooLong, $"{(PduType)type} PDU of {length} bytes exceeds the limit of {limit}");

        var body = reusableBuffer is null ? new byte[length] : reusableBuffer.Get((int)length);
        var memory = body.AsMemory(0, (int)length);
        if (await ReadAtLeastAsync(stream, memory, cancellationToken).ConfigureAwait(false) < length)
            throw new DicomNetworkException(NetworkError.ConnectionClosed, $"connection closed inside a {(PduType)type} PDU");
        return PduDecoder.Decode((PduType)type, memory);
    }

    /// <summary>One buffer reused for every PDU an association receives.</summary>
    public sealed class ReceiveBuffer
    {
        private byte[] _bytes = new byte[16 * 1024];

        internal byte[] Get(int length)
        {
            if (_bytes.Length < length)
                _bytes = new byte[Math.Max(length, _bytes.Length * 2)];
            return _bytes;
        }
    }

    private static async ValueTask<int> ReadAtLeastAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken) =>
        await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
}
