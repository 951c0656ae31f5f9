using DicomScript.Dicom.Data;
using DicomScript.Dicom.IO;
using DicomScript.Server.Ingest;

namespace DicomScript.Server.Scripting;

/// <summary>
/// Where the Lua engine plugs into the archive. Each hook is null until a script defines the matching
/// callback, so a server without scripts (or without that callback) never waits on Lua. The Lua
/// engine sets them after loading the scripts; the ingest pipeline, the DICOM services and the REST
/// layer read them on every request.
/// </summary>
public sealed class ScriptHooks
{
    private volatile IScriptConsole? _console;
    private volatile IHttpRequestFilter? _httpFilter;
    private volatile IScriptStatus? _status;
    private volatile IReceivedInstanceFilter? _receivedInstanceFilter;
    private volatile IIncomingFindFilter? _incomingFindFilter;
    private volatile IOutgoingFindFilter? _outgoingFindFilter;
    private volatile IOutgoingStoreFilter? _outgoingStoreFilter;

    /// <summary>Runs <c>/tools/execute-script</c>; null without a Lua engine.</summary>
    public IScriptConsole? Console
    {
        get => _console;
        set => _console = value;
    }

    /// <summary>What the Lua engine reports (pending events, memory); null without one.</summary>
    public IScriptStatus? Status
    {
        get => _status;
        set => _status = value;
    }

    /// <summary>ReceivedInstanceFilter and ReceivedCStoreInstanceFilter; null unless a script defines one.</summary>
    public IReceivedInstanceFilter? ReceivedInstanceFilter
    {
        get => _receivedInstanceFilter;
        set => _receivedInstanceFilter = value;
    }

    /// <summary>IncomingFindRequestFilter (our C-FIND SCP); null unless a script defines it.</summary>
    public IIncomingFindFilter? IncomingFindFilter
    {
        get => _incomingFindFilter;
        set => _incomingFindFilter = value;
    }

    /// <summary>OutgoingFindRequestFilter (<c>/modalities/{name}/query</c>); null unless a script defines it.</summary>
    public IOutgoingFindFilter? OutgoingFindFilter
    {
        get => _outgoingFindFilter;
        set => _outgoingFindFilter = value;
    }

    /// <summary>OutgoingCStoreInstanceFilter (every C-STORE we send); null unless a script defines it.</summary>
    public IOutgoingStoreFilter? OutgoingStoreFilter
    {
        get => _outgoingStoreFilter;
        set => _outgoingStoreFilter = value;
    }

    /// <summary>
    /// Whether <paramref name="file"/> may go to <paramref name="remoteAet"/> at <paramref name="remoteIp"/>:
    /// what OutgoingCStoreInstanceFilter says, yes without it. A failing filter throws <see cref="ScriptException"/>.
    /// </summary>
    public bool MaySend(DicomFile file, string remoteAet, string remoteIp) => OutgoingStoreFilter?.Allow(file, remoteAet, remoteIp) ?? true;

    /// <summary>IncomingHttpRequestFilter; null unless a script defines it.</summary>
    public IHttpRequestFilter? HttpFilter
    {
        get => _httpFilter;
        set => _httpFilter = value;
    }
}

/// <summary>Who sent a C-FIND, as IncomingFindRequestFilter sees it (Manufacturer: of the matching DicomModalities entry, else Generic).</summary>
public sealed record FindRequestOrigin(string RemoteIp, string RemoteAet, string CalledAet, string Manufacturer);

/// <summary>
/// IncomingFindRequestFilter: the keys of a C-FIND received (QueryRetrieveLevel among them, values
/// as text) become those it returns; they decide both the matching and the keys answered, as in
/// Orthanc. A failing script throws <see cref="ScriptException"/>.
/// </summary>
public interface IIncomingFindFilter
{
    IReadOnlyList<(DicomTag Tag, string Value)> Filter(IReadOnlyList<(DicomTag Tag, string Value)> query, FindRequestOrigin origin);
}

/// <summary>
/// OutgoingFindRequestFilter: the keys of a C-FIND we send to a modality (given by its AET)
/// (without QueryRetrieveLevel) become those it returns, before the query is normalized.
/// </summary>
public interface IOutgoingFindFilter
{
    IReadOnlyList<(DicomTag Tag, string Value)> Filter(IReadOnlyList<(DicomTag Tag, string Value)> query, string remoteAet);
}

/// <summary>
/// OutgoingCStoreInstanceFilter: may this instance go to that modality? Asked before each C-STORE we
/// send (store jobs, Lua routing, C-MOVE and C-GET sub-operations); false skips the instance. A
/// failing script throws <see cref="ScriptException"/>.
/// </summary>
public interface IOutgoingStoreFilter
{
    bool Allow(DicomFile file, string remoteAet, string remoteIp);
}

/// <summary>The Lua engine's figures, for monitoring (<c>/tools/metrics-prometheus</c>).</summary>
public interface IScriptStatus
{
    /// <summary>Events not yet delivered to the scripts: the backlog of the event dispatcher.</summary>
    long PendingEvents { get; }

    /// <summary>Bytes the Lua state holds.</summary>
    long MemoryBytes { get; }
}

/// <summary>Runs a Lua chunk sent to <c>/tools/execute-script</c>.</summary>
public interface IScriptConsole
{
    /// <summary>
    /// Runs <paramref name="code"/> (bytes as sent: Lua strings are bytes) and returns what it printed,
    /// each line followed by a newline; a failure throws <see cref="ScriptException"/>.
    /// </summary>
    string Execute(byte[] code);
}

/// <summary>An HTTP request as IncomingHttpRequestFilter sees it.</summary>
/// <param name="Method">GET, POST, PUT or DELETE.</param>
/// <param name="Uri">The path, without the query string.</param>
/// <param name="RemoteIp">The client's address.</param>
/// <param name="Username">The authenticated user, or "" when authentication is off.</param>
/// <param name="Headers">The request headers, names lower-cased.</param>
public sealed record HttpRequestDescription(string Method, string Uri, string RemoteIp, string Username, IReadOnlyDictionary<string, string> Headers);

/// <summary>IncomingHttpRequestFilter: may an HTTP request be served?</summary>
public interface IHttpRequestFilter
{
    /// <summary>True to serve, false to answer 403; a failing script throws <see cref="ScriptException"/>.</summary>
    bool Allow(HttpRequestDescription request);
}

/// <summary>A Lua script failed (error, timeout, memory cap, a result of the wrong type): the caller answers with <see cref="Error"/>.</summary>
public sealed class ScriptException : Exception
{
    public ScriptException(OrthancError error, string message)
        : base(message)
    {
        Error = error;
    }

    public ScriptException()
        : this(OrthancError.CannotExecuteLua, OrthancErrors.Describe(OrthancError.CannotExecuteLua))
    {
    }

    public ScriptException(string message)
        : this(OrthancError.CannotExecuteLua, message)
    {
    }

    public ScriptException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = OrthancError.CannotExecuteLua;
    }

    /// <summary>Orthanc's code for the failure: CannotExecuteLua, NotLuaPredicate or LuaBadOutput.</summary>
    public OrthancError Error { get; }
}

/// <summary>A request to the REST API made from inside the server (Lua's RestApiGet and friends).</summary>
/// <param name="Method">GET, POST, PUT or DELETE.</param>
/// <param name="Uri">Path and query string.</param>
/// <param name="Body">The request body (empty for GET and DELETE).</param>
/// <param name="Headers">Extra request headers.</param>
public sealed record RestApiRequest(string Method, string Uri, byte[] Body, IReadOnlyDictionary<string, string> Headers);

/// <summary>The answer to a <see cref="RestApiRequest"/>: status and body bytes.</summary>
public sealed record RestApiAnswer(int Status, byte[] Body);

/// <summary>
/// The REST API called in process: no authentication, no IncomingHttpRequestFilter, the origin of
/// what it stores is "Lua" (Orthanc's RequestOrigin_Lua).
/// </summary>
public interface IRestApi
{
    Task<RestApiAnswer> SendAsync(RestApiRequest request, CancellationToken cancellationToken);
}
