using System.Net;
using DicomScript.Rest.Routes;
using DicomScript.Rest.Security;
using DicomScript.Server;
using DicomScript.Server.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
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

    private RestServer(WebApplication app, OrthancConfiguration configuration, ILogger logger)
    {
        _app = app;
        _configuration = configuration;
        _logger = logger;
    }

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
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null; // DICOM uploads (multi-frame, whole studies) have no useful upper bound
            kestrel.Listen(bindAddress ?? IPAddress.Any, configuration.HttpPort);
        });

        var app = builder.Build();
        var security = new HttpSecurity(configuration);
        app.Use(security.InvokeAsync);
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
        InstanceRoutes.Map(app, archive);
        ModifyRoutes.Map(app, archive);
        ScriptRoutes.Map(app, archive, loggerFactory.CreateLogger("DicomScript.Rest"));
        app.MapFallback((HttpContext context) => OrthancResponses.Error(context, OrthancError.UnknownResource));
        return new RestServer(app, configuration, loggerFactory.CreateLogger("DicomScript.Rest"));
    }

    public async Task StartAsync()
    {
        foreach (var warning in HttpSecurity.StartupWarnings(_configuration))
            LogInsecure(_logger, warning);
        await _app.StartAsync().ConfigureAwait(false);
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Port = new Uri(address).Port;
        LogStarted(_logger, Port);
    }

    public Task StopAsync() => _app.StopAsync();

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    [LoggerMessage(3000, LogLevel.Information, "HTTP server: port {Port}")]
    private static partial void LogStarted(ILogger logger, int port);

    [LoggerMessage(3001, LogLevel.Warning, "{Warning}")]
    private static partial void LogInsecure(ILogger logger, string warning);
}

/// <summary>A host lifetime that does nothing: see <see cref="RestServer.Create"/>.</summary>
internal sealed class SignalsLeftToTheProcess : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
