using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using DicomScript.Network.Pdu;

namespace DicomScript.Network.Tests.Support;

/// <summary>
/// A scripted peer for protocol edge cases: it sends exactly the bytes or PDUs a test says and reads
/// what comes back, so the server's reaction to each malformed step can be checked.
/// </summary>
public sealed class FakePeer : IDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;

    private FakePeer(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public static async Task<FakePeer> ConnectAsync(int port)
    {
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, port);
        return new FakePeer(client);
    }

    public Task SendRawAsync(byte[] bytes) => _stream.WriteAsync(bytes).AsTask();

    public Task SendAsync(Pdu.Pdu pdu) => SendRawAsync(PduEncoder.Encode(pdu));

    /// <summary>The next PDU, or null when the server closed the connection.</summary>
    public async Task<Pdu.Pdu?> ReadAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        try
        {
            return await PduReader.ReadAsync(_stream, 0, cancel.Token);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>True when the server closes the connection (after any PDUs it sends) within the timeout.</summary>
    public async Task<bool> IsClosedByServerAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var buffer = new byte[4096];
        try
        {
            while (await _stream.ReadAsync(buffer, cancel.Token) > 0)
            {
                // drain what the server sends before closing
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>A PDU header with the given type and declared length, and no body.</summary>
    public static byte[] Header(byte type, uint length)
    {
        var header = new byte[6];
        header[0] = type;
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(2), length);
        return header;
    }

    public static AAssociateRq Request(string calledAETitle, params PresentationContextRq[] contexts) =>
        new(calledAETitle, "FAKEPEER", contexts, new UserInformation { MaxPduLength = 16384, ImplementationClassUid = "1.2.3.4" });

    public void Dispose()
    {
        _stream.Dispose();
        _client.Dispose();
    }
}
