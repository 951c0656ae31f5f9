using DicomScript.Dicom.Display;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Json;
using System.Runtime.InteropServices;
using DicomScript.Rest;
using DicomScript.Scripting;
using DicomScript.Server;
using DicomScript.Server.Configuration;
using DicomScript.Server.Scripting;
using Serilog;
using Serilog.Events;
using Serilog.Extensions.Logging;

namespace DicomScript.Host;

/// <summary>
/// The <c>dicomscript</c> command line: <c>dicomscript [CONFIG]</c> serves; <c>dump</c> and <c>json</c>
/// show what a file holds, as dcmdump would and as a Lua script's <c>tags</c> table will.
/// </summary>
internal static class CommandLine
{
    private const string Usage = """
        usage:
          dicomscript [--verbose|--trace] [CONFIG]      run the server (CONFIG: orthanc.json or a folder of JSON files);
                                                        --verbose also logs each deletion and stable resource, --trace everything
          dicomscript dump FILE [--all]                 list a DICOM file like dcmdump (--all: do not shorten long values)
          dicomscript json FILE [--simplify|--short|--dicomweb]
                                                        the file's tags as Orthanc's REST API shows them
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        try
        {
            return await (args switch
            {
                ["dump", var path, .. var rest] => Task.FromResult(Dump(path, rest, output)),
                ["json", var path, .. var rest] => Task.FromResult(Json(path, rest, output, error)),
                ["-h" or "--help" or "help"] => Task.FromResult(Help(output)),
                [var option, .. var rest] when option is "--verbose" or "--trace" && rest is [] or [[not '-', ..]] =>
                    ServeAsync(rest.FirstOrDefault(), option == "--verbose" ? LogEventLevel.Debug : LogEventLevel.Verbose, error),
                [var first, ..] when first.StartsWith('-') || first is "dump" or "json" => Task.FromResult(Fail(error, Usage)),
                [] => ServeAsync(null, LogEventLevel.Information, error),
                [var config] => ServeAsync(config, LogEventLevel.Information, error),
                _ => Task.FromResult(Fail(error, Usage)),
            }).ConfigureAwait(false);
        }
        catch (DicomFormatException ex)
        {
            error.WriteLine($"dicomscript: {args.ElementAtOrDefault(1)}: not readable DICOM: {ex.Message}");
            return 2;
        }
        catch (IOException ex)
        {
            error.WriteLine($"dicomscript: {ex.Message}");
            return 2;
        }
        catch (UnauthorizedAccessException ex)
        {
            error.WriteLine($"dicomscript: {ex.Message}");
            return 2;
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            error.WriteLine($"dicomscript: cannot listen: {ex.Message}");
            return 2;
        }
    }

    private static int Dump(string path, string[] options, TextWriter output)
    {
        var file = DicomFile.Open(path);
        output.Write(DicomDumper.Dump(file, options.Contains("--all") ? 0 : 64));
        return 0;
    }

    private static int Json(string path, string[] options, TextWriter output, TextWriter error)
    {
        var dataset = DicomFile.Open(path).Dataset;
        switch (options)
        {
            case []:
                output.WriteLine(OrthancJsonWriter.ToJson(dataset, OrthancTagFormat.Full));
                return 0;
            case ["--simplify"]:
                output.WriteLine(OrthancJsonWriter.ToJson(dataset, OrthancTagFormat.Simplified));
                return 0;
            case ["--short"]:
                output.WriteLine(OrthancJsonWriter.ToJson(dataset, OrthancTagFormat.Short));
                return 0;
            case ["--dicomweb"]:
                output.WriteLine(DicomJsonModelWriter.ToJson(dataset));
                return 0;
            default:
                return Fail(error, Usage);
        }
    }

    /// <summary>
    /// Runs the server until SIGTERM or Ctrl+C: configuration (or Orthanc's defaults), storage, index,
    /// Lua scripts, DICOM listener, REST API. A configuration error, or a Lua script that fails to
    /// load, stops the start with the file, line and reason.
    /// </summary>
    private static async Task<int> ServeAsync(string? configPath, LogEventLevel logLevel, TextWriter error)
    {
        OrthancConfiguration configuration;
        try
        {
            configuration = ConfigurationLoader.Load(configPath);
            _ = configuration.DicomModalities; // surfaces a malformed entry now, not at first use
            _ = configuration.OrthancPeers;
            _ = configuration.Dictionary;
        }
        catch (ConfigurationException ex)
        {
            error.WriteLine($"dicomscript: configuration error: {ex.Message}");
            return 2;
        }

        using var serilog = new LoggerConfiguration()
            .MinimumLevel.Is(logLevel)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning) // ASP.NET's per-request lines; ours say what happened
            .WriteTo.Console(outputTemplate: "{Timestamp:HH:mm:ss.fff} {Level:u3} {SourceContext}: {Message:lj}{NewLine}{Exception}")
            .CreateLogger();
        using var loggerFactory = new SerilogLoggerFactory(serilog);
        // Signals are taken before anything starts: one that comes while the services start stops
        // them once they have started, instead of being lost.
        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.TrySetResult();
        });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            stop.TrySetResult();
        });
        await using var server = DicomScriptServer.Create(configuration, loggerFactory);
        // Built even when HttpServerEnabled is false: Lua's RestApi* go through its routes.
        await using var rest = RestServer.Create(server, loggerFactory);
        LuaScripting lua;
        try
        {
            lua = LuaScripting.Create(server, rest.InProcess, loggerFactory);
        }
        catch (ScriptException ex)
        {
            error.WriteLine($"dicomscript: {ex.Message}");
            return 2;
        }

        await using var scripts = lua;
        await using var trimmer = NativeHeapTrimmer.Start(TimeSpan.FromSeconds(1));
        server.Start();
        await rest.StartAsync().ConfigureAwait(false);
        lua.Start();
        await stop.Task.ConfigureAwait(false);
        await rest.StopAsync().ConfigureAwait(false);
        await lua.StopAsync().ConfigureAwait(false);
        await server.StopAsync().ConfigureAwait(false);
        return 0;
    }

    private static int Help(TextWriter output)
    {
        output.WriteLine(Usage);
        return 0;
    }

    private static int Fail(TextWriter error, string message)
    {
        error.WriteLine(message);
        return 2;
    }
}
