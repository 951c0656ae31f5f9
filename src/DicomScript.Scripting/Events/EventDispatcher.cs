using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Json;
using DicomScript.Scripting.Engine;
using DicomScript.Server;
using DicomScript.Server.Jobs;
using DicomScript.Server.Scripting;
using DicomScript.Storage.Identifiers;
using DicomScript.Storage.Index;
using KeraLua;
using Microsoft.Extensions.Logging;

namespace DicomScript.Scripting.Events;

/// <summary>
/// Delivers the archive's events to the scripts, in order, on one background thread. The events of
/// resources (stored, stable, updated, deleted) are read from the persisted change and event logs,
/// and how far the dispatcher got is saved in the index: after a crash it resumes there, so every
/// event is delivered at least once (Orthanc keeps them in memory and loses them). Job events and
/// Initialize/Finalize go through a queue in memory. A callback that fails is logged and the next
/// event goes on.
/// </summary>
internal sealed partial class EventDispatcher : IScriptStatus, IAsyncDisposable
{
    private const int PageSize = 200;
    private const string RoutingRunner = "_RunRoutingCallback"; // in Toolbox.lua
    // The index wakes the dispatcher when it commits events; the poll is only a safety net.
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(1);

    // Having delivered a page, the dispatcher lets the commits that follow gather for this long: a
    // page then holds several instances under load, not one, and its read, its jobs' submission
    // and the dispatcher's wake-up are paid once for them (delivering each event at once cost
    // ~0.1 ms more CPU per routed instance). The first event after a quiet spell goes at once.
    private static readonly TimeSpan GatherDelay = TimeSpan.FromMilliseconds(5);

    private readonly LuaEngine _engine;
    private readonly DicomScriptServer _archive;
    private readonly DefinedCallbacks _callbacks;
    private readonly MetadataNames _metadataNames;
    private readonly ILogger _logger;
    private readonly ConcurrentQueue<(string Callback, string Argument)> _queue = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _wake = new(0);
    private int _wakePending; // 1 once woken and until the loop looks again: many commits make one wake-up
    private readonly List<Job> _routed = []; // the routing jobs of the page being delivered
    private Thread? _thread;
    private long _delivered; // the last change delivered
    private long _deliveredLogged; // the last entry of the event log delivered

    public EventDispatcher(LuaEngine engine, DicomScriptServer archive, DefinedCallbacks callbacks, ILogger logger)
    {
        _engine = engine;
        _archive = archive;
        _callbacks = callbacks;
        _metadataNames = new MetadataNames(archive.Configuration.UserMetadata);
        _logger = logger;
    }

    /// <summary>Changes and logged events not yet delivered, plus queued job events.</summary>
    public long PendingEvents
    {
        get
        {
            var (lastChange, lastEvent) = _archive.Index.LastEventSequences();
            return Math.Max(0, lastChange - Interlocked.Read(ref _delivered)) + Math.Max(0, lastEvent - Interlocked.Read(ref _deliveredLogged)) + _queue.Count;
        }
    }

    public long MemoryBytes => _engine.MemoryUsed;

    /// <summary>Resumes after the last change delivered (the end of the log on the very first start: history is not replayed) and queues Initialize.</summary>
    public void Start()
    {
        var saved = _archive.Index.GetGlobalProperty(GlobalProperty.LuaEventsDelivered);
        var savedLogged = _archive.Index.GetGlobalProperty(GlobalProperty.LuaLoggedEventsDelivered);
        var (lastChange, lastEvent) = _archive.Index.LastEventSequences();
        _delivered = saved is null ? lastChange : long.Parse(saved, CultureInfo.InvariantCulture);
        _deliveredLogged = savedLogged is null ? lastEvent : long.Parse(savedLogged, CultureInfo.InvariantCulture);
        if (saved is null || savedLogged is null)
            SaveProgress();
        _archive.Jobs.JobSubmitted += OnJobSubmitted;
        _archive.Jobs.JobSucceeded += OnJobSuccess;
        _archive.Jobs.JobFailed += OnJobFailure;
        _archive.Index.EventsCommitted += OnEventsCommitted;
        Post(DefinedCallbacks.Initialize, "");
        _thread = new Thread(Run) { IsBackground = true, Name = "LUA-EVENTS" };
        _thread.Start();
    }

    private void OnJobSubmitted(string id) => Post(DefinedCallbacks.OnJobSubmitted, id);

    private void OnJobSuccess(string id) => Post(DefinedCallbacks.OnJobSuccess, id);

    private void OnJobFailure(string id) => Post(DefinedCallbacks.OnJobFailure, id);

    private void Post(string callback, string argument)
    {
        if (!_callbacks.Has(callback))
            return;
        _queue.Enqueue((callback, argument));
        Wake();
    }

    // Without a resource callback the events are skipped on the poll, not after every commit.
    private void OnEventsCommitted()
    {
        if (_callbacks.HasResourceCallbacks)
            Wake();
    }

    private void Wake()
    {
        if (Interlocked.Exchange(ref _wakePending, 1) == 0)
            _wake.Release();
    }

    private void Run()
    {
        while (!_stop.IsCancellationRequested)
        {
            // Cleared before looking: what is committed from here on wakes the loop again.
            Volatile.Write(ref _wakePending, 0);
            DeliverQueued();
            var read = 0;
            if (!_callbacks.HasResourceCallbacks)
                SkipChanges();
            else
                read = DeliverChanges();
            if (read == PageSize)
                continue; // more may be waiting
            if (read > 0)
                Thread.Sleep(GatherDelay);
            else
                _wake.Wait(IdlePoll);
        }

        // Stopping: what is queued in memory would be lost, so it goes now; Finalize last.
        DeliverQueued();
        if (_callbacks.Has(DefinedCallbacks.Finalize))
            Invoke(DefinedCallbacks.Finalize, _ => 0);
    }

    private void DeliverQueued()
    {
        while (_queue.TryDequeue(out var item))
            Invoke(item.Callback, lua => item.Argument.Length == 0 ? 0 : Push(lua, item.Argument));
    }

    // No script wants the archive's events: they are passed over unread, the position moved to the
    // end of the logs (a script defined later starts from there, as on a first start).
    private void SkipChanges()
    {
        var (lastChange, lastEvent) = _archive.Index.LastEventSequences();
        if (lastChange == Interlocked.Read(ref _delivered) && lastEvent == Interlocked.Read(ref _deliveredLogged))
            return;
        Interlocked.Exchange(ref _delivered, lastChange);
        Interlocked.Exchange(ref _deliveredLogged, lastEvent);
        SaveProgress();
    }

    // Delivers the next page of events; returns how many it held.
    private int DeliverChanges()
    {
        var page = _archive.Index.ReadEvents(Interlocked.Read(ref _delivered), Interlocked.Read(ref _deliveredLogged), PageSize);
        if (page.Count == 0)
            return 0;
        foreach (var (change, eventSeq) in page)
        {
            if (_stop.IsCancellationRequested)
                break;
            Deliver(change);
            if (eventSeq == 0)
                Interlocked.Exchange(ref _delivered, change.Seq);
            else
                Interlocked.Exchange(ref _deliveredLogged, eventSeq);
        }

        // The page's routing jobs are saved with the progress, in one transaction, then run.
        if (_routed.Count > 0)
            _archive.Jobs.SubmitAll(_routed, SaveProgress);
        else
            SaveProgress();
        _routed.Clear();
        return page.Count;
    }

    // Saved, the logged events delivered are dropped: only the dispatcher reads them.
    private void SaveProgress(IReadOnlyCollection<(string Id, string Content)>? jobs = null) =>
        _archive.Index.SaveEventProgress(Interlocked.Read(ref _delivered), Interlocked.Read(ref _deliveredLogged), jobs);

    private void Deliver(Change change)
    {
        switch (change.ChangeType)
        {
            case ChangeType.NewInstance or ChangeType.AlreadyStored when _callbacks.Has(DefinedCallbacks.OnStoredInstance):
                DeliverStoredInstance(change.PublicId);
                break;
            case ChangeType.StablePatient or ChangeType.StableStudy or ChangeType.StableSeries:
                DeliverStable(change);
                break;
            case ChangeType.UpdatedMetadata or ChangeType.UpdatedAttachment:
                InvokeWithId("OnUpdated" + change.ResourceType, change.PublicId);
                break;
            case ChangeType.Deleted:
                InvokeWithId("OnDeleted" + change.ResourceType, change.PublicId);
                break;
        }
    }

    // OnStoredInstance(instanceId, tags, metadata, origin); skipped when the instance is gone. The
    // tags cost a file read, a parse and a conversion, the metadata an index read, so they are
    // built only for a function that can see them: the usual routing script declares just `id`,
    // and Lua drops the rest anyway.
    private void DeliverStoredInstance(string instanceId)
    {
        if (!_callbacks.Has(DefinedCallbacks.OnStoredInstance) || _archive.Index.LevelOf(instanceId) != ResourceLevel.Instance)
            return;
        InvokeRouting(DefinedCallbacks.OnStoredInstance, lua =>
        {
            // What is on the stack is the runner that calls the callback, not the callback itself.
            var visible = CallbackArguments.VisibleArguments(lua, DefinedCallbacks.OnStoredInstance);
            lua.PushString(instanceId);
            if (visible < 2)
                return 1;
            // Read while the lock is held: deleted meanwhile, the instance gets no tags (nil) and,
            // once its index rows are gone, empty metadata.
            if (_archive.ReadFile(instanceId) is { } file)
                CallbackArguments.PushTags(lua, OrthancTagsConverter.Convert(file.Dataset));
            else
                lua.PushNil();
            var metadata = (_archive.Index.AllMetadata(instanceId, ResourceLevel.Instance) ?? []).ToDictionary(m => m.Type, m => m.Value);
            CallbackArguments.PushMetadata(lua, metadata, _metadataNames);
            CallbackArguments.PushOrigin(lua, CallbackArguments.OriginOf(metadata));
            return 4;
        });
    }

    // OnStablePatient/Study/Series(id, tags, metadata): the level's main tags and all its metadata.
    private void DeliverStable(Change change)
    {
        var callback = "OnStable" + change.ResourceType;
        if (!_callbacks.Has(callback) || _archive.Index.Get(change.PublicId) is not { } resource || resource.Level != change.ResourceType)
            return;
        InvokeRouting(callback, lua =>
        {
            lua.PushString(resource.PublicId);
            CallbackArguments.PushMainTags(lua, resource);
            CallbackArguments.PushMetadata(lua, resource.Metadata, _metadataNames);
            return 3;
        });
    }

    private void InvokeWithId(string callback, string id)
    {
        if (_callbacks.Has(callback))
            Invoke(callback, lua => Push(lua, id));
    }

    private static int Push(Lua lua, string text)
    {
        lua.PushString(text);
        return 1;
    }

    private void Invoke(string callback, Func<Lua, int> arguments) => Guarded(callback, () => _engine.Call(callback, arguments, (_, _) => 0, 0));

    // OnStoredInstance and OnStable*: the operations the callback records with the routing helpers
    // become one SequenceOfOperations job, read with keepStrings (a '77' stays a string), submitted
    // with the page's progress.
    private void InvokeRouting(string callback, Func<Lua, int> arguments) => Guarded(callback, () =>
    {
        var operations = _engine.Call(RoutingRunner, lua =>
        {
            lua.PushString(callback);
            return 1 + arguments(lua);
        }, (lua, count) => count > 0 ? LuaJson.Read(lua, -count, keepStrings: true) : null, null, label: callback);
        if (operations is JsonArray { Count: > 0 } recorded)
            _routed.Add(new SequenceOfOperationsJob(_archive, recorded));
    });

    private void Guarded(string callback, Action deliver)
    {
        try
        {
            deliver();
        }
        catch (ScriptException)
        {
            // Logged by the engine with the script's place; the next event goes on.
        }
        catch (ObjectDisposedException)
        {
            // The engine is closing.
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or InvalidDataException)
        {
            LogDeliveryFailed(_logger, callback, ex.Message);
        }
    }

    public async Task StopAsync()
    {
        if (_thread is null || _stop.IsCancellationRequested)
            return;
        _archive.Jobs.JobSubmitted -= OnJobSubmitted;
        _archive.Jobs.JobSucceeded -= OnJobSuccess;
        _archive.Jobs.JobFailed -= OnJobFailure;
        _archive.Index.EventsCommitted -= OnEventsCommitted;
        await _stop.CancelAsync().ConfigureAwait(false);
        _wake.Release();
        await Task.Run(() => _thread.Join()).ConfigureAwait(false);
        SaveProgress();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
        // _wake is not disposed: a commit or job event raised just before StopAsync unsubscribed may
        // still call Wake from its own thread, and a SemaphoreSlim whose wait handle is never asked
        // for holds nothing that needs disposing.
    }

    [LoggerMessage(2650, LogLevel.Error, "Error while processing Lua events ({Callback}): {Message}")]
    private static partial void LogDeliveryFailed(ILogger logger, string callback, string message);
}
