using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using DicomScript.Network.Association;
using DicomScript.Network.Pdu;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DicomScript.Network.Scp;

/// <summary>
/// The DICOM listener: accepts connections, negotiates associations with
/// <see cref="PresentationContextNegotiator"/> and serves their requests with the handlers.
/// </summary>
public sealed class DicomServer : IAsyncDisposable
{
    private readonly DicomServerOptions _options;
    private readonly PresentationContextNegotiator _negotiator;
    private readonly RequestDispatcher _dispatcher;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<DicomAssociation, byte> _associations = new();
    private readonly ConcurrentDictionary<Task, byte> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private TcpListener? _listener;
    private Task _acceptLoop = Task.CompletedTask;

    public DicomServer(DicomServerOptions options, HandlerSet handlers, ILogger? logger = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = logger ?? NullLogger.Instance;
        _negotiator = new PresentationContextNegotiator(options, handlers);
        _dispatcher = new RequestDispatcher(handlers, options, _logger);
    }

    /// <summary>The port listened on (the chosen one when the options said 0).</summary>
    public int Port => _listener is null ? _options.Port : ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Associations established and not yet ended.</summary>
    public int ActiveAssociations => _associations.Count;

    public void Start()
    {
        _listener = new TcpListener(_options.BindAddress, _options.Port);
        _listener.Start(backlog: 128);
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener!.AcceptSocketAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stopping.IsCancellationRequested)
                    return;
                continue;
            }

            var connection = Task.Run(() => ServeAsync(socket));
            _connections[connection] = 0;
            _ = connection.ContinueWith(t => _connections.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        DicomAssociation? association = null;
        try
        {
            association = await DicomAssociation.AcceptAsync(socket, _options.Association,
                request => _negotiator.Negotiate(request, InfoOf(request, socket), _associations.Count),
                _dispatcher.HandleAsync, _logger, _stopping.Token).ConfigureAwait(false);
            if (association is null)
                return;
            _associations[association] = 0;
            await association.Completion.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or DicomNetworkException or OperationCanceledException)
        {
            Log.ConnectionDropped(_logger, socket.RemoteEndPoint?.ToString(), ex.Message);
        }
        finally
        {
            if (association is not null)
            {
                _associations.TryRemove(association, out _);
                await association.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static AssociationInfo InfoOf(AAssociateRq request, Socket socket)
    {
        var endpoint = socket.RemoteEndPoint as IPEndPoint;
        return new AssociationInfo(request.CallingAETitle, request.CalledAETitle, endpoint?.Address.ToString() ?? "", endpoint?.Port ?? 0);
    }

    /// <summary>Stops listening and aborts the associations still open.</summary>
    public async Task StopAsync()
    {
        if (_stopping.IsCancellationRequested)
            return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Stop();
        await _acceptLoop.ConfigureAwait(false);
        foreach (var association in _associations.Keys)
            await association.AbortAsync().ConfigureAwait(false);
        await Task.WhenAll(_connections.Keys).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }
}
