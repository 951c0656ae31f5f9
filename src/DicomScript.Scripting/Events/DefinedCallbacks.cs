using DicomScript.Scripting.Engine;

namespace DicomScript.Scripting.Events;

/// <summary>
/// Which of Orthanc's callbacks the scripts define, looked up once after loading and after each
/// execute-script (which may define or remove one), so neither the archive nor the dispatcher asks
/// the Lua state (and waits for its lock) about a callback nobody wrote.
/// </summary>
internal sealed class DefinedCallbacks
{
    public const string Initialize = "Initialize";
    public const string Finalize = "Finalize";
    public const string OnStoredInstance = "OnStoredInstance";
    public const string OnJobSubmitted = "OnJobSubmitted";
    public const string OnJobSuccess = "OnJobSuccess";
    public const string OnJobFailure = "OnJobFailure";
    public const string OnHeartBeat = "OnHeartBeat";
    public const string IncomingHttpRequestFilter = "IncomingHttpRequestFilter";
    public const string ReceivedInstanceFilter = "ReceivedInstanceFilter";
    public const string ReceivedCStoreInstanceFilter = "ReceivedCStoreInstanceFilter";
    public const string OutgoingCStoreInstanceFilter = "OutgoingCStoreInstanceFilter";
    public const string IncomingFindRequestFilter = "IncomingFindRequestFilter";
    public const string OutgoingFindRequestFilter = "OutgoingFindRequestFilter";

    private static readonly string[] Names =
    [
        Initialize, Finalize, OnStoredInstance, OnJobSubmitted, OnJobSuccess, OnJobFailure, OnHeartBeat,
        "OnStablePatient", "OnStableStudy", "OnStableSeries",
        "OnUpdatedPatient", "OnUpdatedStudy", "OnUpdatedSeries", "OnUpdatedInstance",
        "OnDeletedPatient", "OnDeletedStudy", "OnDeletedSeries", "OnDeletedInstance",
        IncomingHttpRequestFilter, ReceivedInstanceFilter, ReceivedCStoreInstanceFilter, OutgoingCStoreInstanceFilter,
        IncomingFindRequestFilter, OutgoingFindRequestFilter,
    ];

    private volatile HashSet<string> _defined = [];
    private volatile bool _hasResourceCallbacks;
    private volatile bool _hasDeletedCallbacks;

    public bool Has(string name) => _defined.Contains(name);

    /// <summary>Whether a callback of the archive's logged events (stored, stable, updated, deleted) is defined.</summary>
    public bool HasResourceCallbacks => _hasResourceCallbacks;

    /// <summary>Whether an OnDeletedPatient/Study/Series/Instance is defined.</summary>
    public bool HasDeletedCallbacks => _hasDeletedCallbacks;

    public void Refresh(LuaEngine engine)
    {
        var defined = engine.WhichAreFunctions(Names);
        _defined = defined;
        _hasDeletedCallbacks = defined.Any(name => name.StartsWith("OnDeleted", StringComparison.Ordinal));
        _hasResourceCallbacks = _hasDeletedCallbacks || defined.Any(name => name.StartsWith("OnStable", StringComparison.Ordinal)
            || name.StartsWith("OnUpdated", StringComparison.Ordinal) || name == OnStoredInstance);
    }
}
