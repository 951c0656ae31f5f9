using DicomScript.Dicom.Dictionary;
using DicomScript.Network;
using DicomScript.Network.Scu;
using DicomScript.Server.Configuration;

namespace DicomScript.Server.Remote;

/// <summary>
/// Associations to DicomModalities kept open between C-STOREs (Lua routing sends one instance per
/// operation): one per modality and calling AE title, closed after DicomAssociationCloseDelay
/// seconds without use. An instance of a kind the open association did not negotiate reopens it
/// with that kind added to the proposal.
/// </summary>
public sealed class ModalityAssociations : IAsyncDisposable
{
    private readonly DicomScriptServer _archive;
    private readonly TimeSpan _closeDelay;
    private readonly Dictionary<string, Connection> _connections = new(StringComparer.Ordinal);
    private readonly Timer _closer;

    public ModalityAssociations(DicomScriptServer archive, TimeSpan closeDelay)
    {
        _archive = archive;
        _closeDelay = closeDelay;
        var period = closeDelay > TimeSpan.Zero ? TimeSpan.FromMilliseconds(Math.Min(1000, closeDelay.TotalMilliseconds)) : TimeSpan.FromSeconds(1);
        _closer = new Timer(_ => _ = CloseIdleAsync(), null, period, period);
    }

    /// <summary>Sends <paramref name="file"/>; the peer's status. A network failure closes the association and throws.</summary>
    public async Task<ushort> SendAsync(DicomModality modality, string callingAet, FileToSend file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(modality);
        ArgumentNullException.ThrowIfNull(file);
        var kind = (file.File.Dataset.GetString(DicomTags.SOPClassUID) ?? "", file.File.TransferSyntax.Uid);
        var connection = ConnectionFor(modality, callingAet);
        await connection.Lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // A reused association may have gone stale (the peer dropped it while idle) or lack the
            // instance's kind: then once more on a new one. A new one's answer is final.
            while (true)
            {
                var fresh = false;
                if (connection.Session is not { IsOpen: true } || !connection.Kinds.Contains(kind))
                {
                    await connection.CloseAsync().ConfigureAwait(false);
                    connection.Kinds.Add(kind);
                    connection.Session = await _archive.ClientFor(modality, callingAet: callingAet)
                        .OpenStoreSessionAsync(connection.Kinds, cancellationToken).ConfigureAwait(false);
                    fresh = true;
                }

                ushort status;
                try
                {
                    status = await connection.Session.SendAsync(file, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (DicomNetworkException.IsPeerFailure(ex, cancellationToken))
                {
                    await connection.CloseAsync(release: false).ConfigureAwait(false);
                    if (!fresh)
                        continue;
                    throw;
                }

                connection.LastUse = Environment.TickCount64;
                if (status == InstanceSender.NoContextStatus && !fresh)
                {
                    await connection.CloseAsync().ConfigureAwait(false);
                    continue;
                }

                return status;
            }
        }
        finally
        {
            connection.Lock.Release();
        }
    }

    private Connection ConnectionFor(DicomModality modality, string callingAet)
    {
        var key = $"{modality.Name}\n{modality.AET}\n{modality.Host}\n{modality.Port}\n{callingAet}";
        lock (_connections)
        {
            if (!_connections.TryGetValue(key, out var connection))
                _connections[key] = connection = new Connection();
            return connection;
        }
    }

    private async Task CloseIdleAsync()
    {
        List<Connection> connections;
        lock (_connections)
            connections = [.. _connections.Values];
        foreach (var connection in connections)
        {
            if (connection.Session is null || Environment.TickCount64 - connection.LastUse < _closeDelay.TotalMilliseconds || !connection.Lock.Wait(0))
                continue;
            try
            {
                await connection.CloseAsync().ConfigureAwait(false);
            }
            finally
            {
                connection.Lock.Release();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _closer.DisposeAsync().ConfigureAwait(false);
        List<Connection> connections;
        lock (_connections)
            connections = [.. _connections.Values];
        foreach (var connection in connections)
        {
            await connection.Lock.WaitAsync().ConfigureAwait(false);
            await connection.CloseAsync().ConfigureAwait(false);
            connection.Lock.Release();
        }
    }

    private sealed class Connection
    {
        public SemaphoreSlim Lock { get; } = new(1, 1);

        public StoreSession? Session { get; set; }

        public HashSet<(string SopClassUid, string TransferSyntaxUid)> Kinds { get; } = [];

        public long LastUse { get; set; }

        public async Task CloseAsync(bool release = true)
        {
            if (Session is not { } session)
                return;
            Session = null;
            await session.CloseAsync(release).ConfigureAwait(false);
        }
    }
}
