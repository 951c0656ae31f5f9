using System.Net;
using DicomScript.Rest.Routes;
using DicomScript.Rest.Security;
using DicomScript.Server;
using DicomScript.Server.Configuration;
using DicomScript.Server.Scripting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DicomScript.Rest;

/// <summary>
/// The HTTP side of the archive: Orthanc's REST routes on Kestrel at HttpPort, behind Orthanc's
/// access rules (<see cref="HttpSecurity"/>). Listens on all interfaces like Orthanc (non-local
/// clients are refused unless RemoteAccessAllowed).
/// </summary>
public sealed partial class RestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly OrthancConfiguration _configuration;
    private readonly ILogger _logger;

    private RestServer(WebApplication app, OrthancConfiguration configuration, IRestApi inProcess, ILogger logger)
    {
        _app = app;
        _configuration = configuration;
        InProcess = inProcess;
        _logger = logger;
    }

    /// <summary>The routes called in process (Lua's RestApi*): no authentication, no HTTP filter. Usable after <see cref="StartAsync"/>.</summary>
    public IRestApi InProcess { get; }

    /// <summary>The port listened on (the chosen one when the configuration said 0); valid after <see cref="StartAsync"/>.</summary>
    public int Port { get; private set; }

    public static RestServer Create(DicomScriptServer archive, ILoggerFactory loggerFactory, IPAddress? bindAddress = null)
    {
        ArgumentNullException.ThrowIfNull(archive);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var configuration = archive.Configuration;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "DicomScript", ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        // SIGTERM and Ctrl+C are the command line's to handle (it stops REST, then DICOM, jobs and
        // index): the web host's console lifetime would take them and stop Kestrel alone.
        builder.Services.AddSingleton<IHostLifetime, SignalsLeftToTheProcess>();
        // Without HttpServerEnabled nothing listens, but the pipeline is still built for Lua's RestApi*.
        if (!configuration.HttpServerEnabled)
            builder.Services.AddSingleton<IServer, NoListeningServer>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null; // DICOM uploads (multi-frame, whole studies) have no useful upper bound
            kestrel.Listen(bindAddress ?? IPAddress.Any, configuration.HttpPort);
        });

        var app = builder.Build();
        var logger = loggerFactory.CreateLogger("DicomScript.Rest");
        var security = new HttpSecurity(configuration);
        var inProcess = new InProcessRestApi(app.Services);
        app.Use(OrthancRequestForms.Apply);
        app.Use(security.InvokeAsync);
        app.Use(new HttpRequestFiltering(archive.Hooks).InvokeAsync);
        // Lua's RestApi* enter here: after the access rules and the HTTP filter, before routing.
        app.Use(inProcess.Capture);
        app.UseRouting();
        // A URI no route knows is Orthanc's 404 with its error body. (Not a fallback route: one
        // would also take a known URI asked with another method, which must stay routing's 405
        // with an Allow header, as in Orthanc.)
        app.Use((context, next) => context.GetEndpoint() is null
            ? OrthancResponses.Error(context, OrthancError.UnknownResource).ExecuteAsync(context)
            : next(context));
        SystemRoutes.Map(app, archive);
        ResourceRoutes.Map(app, archive);
        HierarchyRoutes.Map(app, archive);
        MetadataRoutes.Map(app, archive);
        ChangesRoutes.Map(app, archive);
        ToolsRoutes.Map(app, archive);
        ModalityRoutes.Map(app, archive);
        JobRoutes.Map(app, archive);
        PeerRoutes.Map(app, archive);
        QueryRoutes.Map(app, archive);
        RetrieveRoutes.Map(app, archive);
        QueryChildrenRoutes.Map(app, archive);
        InstanceRoutes.Map(app, archive, logger);
        ModifyRoutes.Map(app, archive);
        ScriptRoutes.Map(app, archive, logger);
        MetricsRoutes.Map(app, archive);
        return new RestServer(app, configuration, inProcess, logger);
    }

    public async Task StartAsync()
    {
        foreach (var warning in HttpSecurity.StartupWarnings(_configuration))
            LogInsecure(_logger, warning);
        await _app.StartAsync().ConfigureAwait(false);
        if (!_configuration.HttpServerEnabled)
        {
            LogNotListening(_logger);
            return;
        }

        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Port = new Uri(address).Port;
        LogStarted(_logger, Port);
    }

    public Task StopAsync() => _app.StopAsync();

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    [LoggerMessage(3000, LogLevel.Information, "HTTP server: port {Port}")]
    private static partial void LogStarted(ILogger logger, int port);

    [LoggerMessage(3002, LogLevel.Information, "HTTP server disabled (HttpServerEnabled): the REST API serves Lua's RestApi* calls only")]
    private static partial void LogNotListening(ILogger logger);

    [LoggerMessage(3001, LogLevel.Warning, "{Warning}")]
    private static partial void LogInsecure(ILogger logger, string warning);
}

/// <summary>A host lifetime that does nothing: see <see cref="RestServer.Create"/>.</summary>
internal sealed class SignalsLeftToTheProcess : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>The server used when HttpServerEnabled is false: it listens nowhere; the request pipeline is built all the same.</summary>
internal sealed class NoListeningServer : IServer
{
    public IFeatureCollection Features { get; } = new FeatureCollection();

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
    }
}
