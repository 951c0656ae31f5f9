using System.Text;
using DicomScript.Scripting.Engine;
using DicomScript.Scripting.Events;
using DicomScript.Scripting.Functions;
using DicomScript.Server;
using DicomScript.Server.Scripting;
using Microsoft.Extensions.Logging;

namespace DicomScript.Scripting;

/// <summary>
/// The Lua engine of the archive: builds the state, defines Orthanc's Lua functions, runs the toolbox
/// and the configuration's LuaScripts (in order; the last definition of a global wins), and plugs
/// itself into the archive's <see cref="ScriptHooks"/>.
/// </summary>
public sealed partial class LuaScripting : IScriptConsole, IAsyncDisposable
{
    /// <summary>The chunk name of the toolbox (what <c>debug.getinfo().short_src</c> says in it).</summary>
    internal const string ToolboxName = "toolbox.lua";

    private const string ExecuteScriptChunk = "=execute-script";

    private readonly LuaEngine _engine;
    private readonly DicomScriptServer _archive;
    private readonly HttpFunctions _http;
    private readonly LuaHttpFilter _httpFilter;
    private readonly DefinedCallbacks _callbacks = new();
    private readonly EventDispatcher _events;
    private readonly LuaReceiveFilter _receiveFilter;
    private readonly LuaFindFilters _findFilters;
    private readonly LuaOutgoingStoreFilter _outgoingStoreFilter;
    private HeartBeat? _heartBeat;

    private LuaScripting(LuaEngine engine, DicomScriptServer archive, HttpFunctions http, ILogger logger)
    {
        _engine = engine;
        _archive = archive;
        _http = http;
        _httpFilter = new LuaHttpFilter(engine);
        _events = new EventDispatcher(engine, archive, _callbacks, logger);
        _receiveFilter = new LuaReceiveFilter(engine, _callbacks);
        _findFilters = new LuaFindFilters(engine);
        _outgoingStoreFilter = new LuaOutgoingStoreFilter(engine);
    }

    /// <summary>
    /// Loads the scripts and attaches to <paramref name="archive"/>; Lua's RestApi* go to
    /// <paramref name="restApi"/>. A script that cannot be read or fails while it runs throws
    /// <see cref="ScriptException"/> naming the file and line: the server must not start with half
    /// its scripts.
    /// </summary>
    public static LuaScripting Create(DicomScriptServer archive, IRestApi restApi, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(archive);
        ArgumentNullException.ThrowIfNull(restApi);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var configuration = archive.Configuration;
        var logger = loggerFactory.CreateLogger("DicomScript.Lua");
        var engine = new LuaEngine(TimeSpan.FromSeconds(configuration.LuaCallbackTimeout), configuration.LuaMemoryLimit * 1024L * 1024L, logger);
        HttpFunctions? http = null;
        try
        {
            var native = new LuaTableBuilder(engine);
            CoreFunctions.Register(engine, native, configuration, logger);
            RestApiFunctions.Register(engine, restApi, logger);
            IndexFunctions.Register(engine, archive.Index, logger);
            http = HttpFunctions.Register(engine, configuration, logger);
            engine.Run(ReadToolbox(), "=" + ToolboxName, "the Lua toolbox", arguments: native.Push);
            foreach (var path in configuration.LuaScripts)
                LoadScript(engine, path, logger);
        }
        catch
        {
            http?.Dispose();
            engine.Dispose();
            throw;
        }

        var scripting = new LuaScripting(engine, archive, http, logger);
        archive.Hooks.Console = scripting;
        archive.Hooks.Status = scripting._events;
        scripting.AttachCallbacks();
        return scripting;
    }

    // A hook is set only while the script defines its callback, so the archive never waits on Lua
    // for a callback nobody wrote, nor logs deletions for an OnDeleted* nobody wrote. Looked up after
    // loading and after each execute-script (which may define or remove one: with one state, a
    // filter defined that way works, unlike in Orthanc).
    private void AttachCallbacks()
    {
        _callbacks.Refresh(_engine);
        _archive.Index.LogsDeletions = _callbacks.HasDeletedCallbacks;
        // OnStoredInstance reads each new instance again at once, for its tags or its routing job.
        _archive.Ingest.RecentlyStored.Enabled = _callbacks.Has(DefinedCallbacks.OnStoredInstance);
        _archive.Hooks.HttpFilter = _callbacks.Has(DefinedCallbacks.IncomingHttpRequestFilter) ? _httpFilter : null;
        _archive.Hooks.ReceivedInstanceFilter = _callbacks.Has(DefinedCallbacks.ReceivedInstanceFilter) || _callbacks.Has(DefinedCallbacks.ReceivedCStoreInstanceFilter)
            ? _receiveFilter
            : null;
        _archive.Hooks.IncomingFindFilter = _callbacks.Has(DefinedCallbacks.IncomingFindRequestFilter) ? _findFilters : null;
        _archive.Hooks.OutgoingFindFilter = _callbacks.Has(DefinedCallbacks.OutgoingFindRequestFilter) ? _findFilters : null;
        _archive.Hooks.OutgoingStoreFilter = _callbacks.Has(DefinedCallbacks.OutgoingCStoreInstanceFilter) ? _outgoingStoreFilter : null;
    }

    /// <summary>
    /// Starts delivering events (Initialize first), once the archive has started, and the heartbeat
    /// when LuaHeartBeatPeriod is positive and the scripts define OnHeartBeat (as Orthanc decides at start).
    /// </summary>
    public void Start()
    {
        _events.Start();
        var period = _archive.Configuration.LuaHeartBeatPeriod;
        if (period > 0 && _callbacks.Has(DefinedCallbacks.OnHeartBeat))
        {
            _heartBeat = new HeartBeat(_engine, TimeSpan.FromSeconds(period));
            _heartBeat.Start();
        }
    }

    /// <summary>Stops the heartbeat and the events: queued job events go, then Finalize; what is left in the change log waits for the next start.</summary>
    public async Task StopAsync()
    {
        if (_heartBeat is not null)
            await _heartBeat.DisposeAsync().ConfigureAwait(false);
        _heartBeat = null;
        await _events.StopAsync().ConfigureAwait(false);
    }

    private static void LoadScript(LuaEngine engine, string path, ILogger logger)
    {
        byte[] code;
        try
        {
            code = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ScriptException($"Cannot read the Lua script {path}: {ex.Message}");
        }

        try
        {
            engine.Run(code, "@" + Path.GetFileName(path), Path.GetFileName(path));
        }
        catch (ScriptException ex)
        {
            throw new ScriptException($"The Lua script {path} failed: {ex.Message}", ex);
        }

        LogLoaded(logger, path);
    }

    private static byte[] ReadToolbox()
    {
        using var stream = typeof(LuaScripting).Assembly.GetManifestResourceStream("Toolbox.lua")
            ?? throw new InvalidOperationException("Toolbox.lua is not embedded");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Bytes the Lua state holds.</summary>
    public long MemoryUsed => _engine.MemoryUsed;

    /// <summary>
    /// /tools/execute-script: runs <paramref name="code"/> in the shared state (globals it defines stay,
    /// callbacks and filters included) and returns what it printed.
    /// </summary>
    public string Execute(byte[] code)
    {
        ArgumentNullException.ThrowIfNull(code);
        var output = new StringBuilder();
        try
        {
            _engine.Run(code, ExecuteScriptChunk, "/tools/execute-script", output);
        }
        finally
        {
            AttachCallbacks();
        }

        return output.ToString();
    }

    /// <summary><see cref="Execute(byte[])"/> for code given as text (UTF-8).</summary>
    public string Execute(string code) => Execute(Encoding.UTF8.GetBytes(code ?? throw new ArgumentNullException(nameof(code))));

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _events.DisposeAsync().ConfigureAwait(false);
        if (_archive.Hooks.Console == this)
            _archive.Hooks.Console = null;
        _archive.Hooks.HttpFilter = null;
        _archive.Hooks.ReceivedInstanceFilter = null;
        _archive.Hooks.IncomingFindFilter = null;
        _archive.Hooks.OutgoingFindFilter = null;
        _archive.Hooks.OutgoingStoreFilter = null;
        _archive.Hooks.Status = null;
        _engine.Dispose();
        _http.Dispose();
    }

    [LoggerMessage(2620, LogLevel.Information, "Lua script loaded: {Path}")]
    private static partial void LogLoaded(ILogger logger, string path);
}
