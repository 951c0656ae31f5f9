using System.Diagnostics;
using System.Text;
using DicomScript.Server.Scripting;
using KeraLua;
using Microsoft.Extensions.Logging;

namespace DicomScript.Scripting.Engine;

/// <summary>
/// One Lua 5.4 state guarded by one lock: every callback, filter and execute-script runs here, one at
/// a time, each in a coroutine of its own. Bounded: a count hook yields out of a script that runs past
/// its deadline (the only way to stop Lua without raising an error through C# frames) and the
/// allocator refuses to grow the state past its cap. A C# function that blocks (HTTP, DICOM, the REST
/// API) gives the lock up meanwhile (<see cref="WithoutLock{T}"/>), so a web service called from a
/// callback can call our REST API back while IncomingHttpRequestFilter is defined: Orthanc's
/// documented deadlock cannot happen here.
/// </summary>
internal sealed partial class LuaEngine : IDisposable
{
    // How often the hook looks at the clock: cheap enough to be invisible, often enough to stop a
    // tight loop within microseconds of its deadline.
    private const int HookInstructionCount = 1000;

    private readonly Lua _state;
    private readonly LuaMemoryCap _memory;
    private readonly LuaHookFunction? _hook;
    private readonly List<LuaFunction> _functions = []; // referenced here: Lua holds only pointers to them
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly TimeSpan _timeout;
    private readonly ILogger _logger;
    private Invocation? _current;
    private int _ownerThread;
    private int _parked; // C# functions blocked in WithoutLock: their coroutines still need the state
    private bool _disposed;

    public LuaEngine(TimeSpan timeout, long memoryLimitBytes, ILogger logger)
    {
        _timeout = timeout;
        _logger = logger;
        _memory = new LuaMemoryCap(memoryLimitBytes);
        _state = new Lua(_memory.Allocator, IntPtr.Zero) { Encoding = Encoding.UTF8 };
        _state.OpenLibs();
        if (timeout > TimeSpan.Zero)
        {
            _hook = OnHook;
            _state.SetHook(_hook, LuaHookMask.Count, HookInstructionCount); // coroutines inherit it
        }
    }

    /// <summary>Bytes the Lua state holds now.</summary>
    public long MemoryUsed => _memory.Used;

    /// <summary>Defines a global function implemented in C# (see <see cref="Function"/>).</summary>
    public void SetGlobal(string name, Func<Lua, int> body)
    {
        Locked(() =>
        {
            _state.PushCFunction(Function(name, body));
            _state.SetGlobal(name);
            return 0;
        });
    }

    /// <summary>
    /// Wraps C# as a Lua function: an exception never reaches Lua (it would unwind through native
    /// frames); it is logged and the function returns nil, which is what Orthanc's functions return
    /// on failure. The body returns the number of results it pushed.
    /// </summary>
    public LuaFunction Function(string name, Func<Lua, int> body)
    {
        LuaFunction function = pointer =>
        {
            var lua = Lua.FromIntPtr(pointer);
            try
            {
                return body(lua);
            }
#pragma warning disable CA1031 // the boundary with native code: nothing may escape
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogFunctionFailed(_logger, name, ex.Message);
                lua.PushNil();
                return 1;
            }
        };
        _functions.Add(function);
        return function;
    }

    /// <summary>
    /// Runs a chunk (a script file or execute-script's body) under <paramref name="chunkName"/>
    /// ("@routing.lua" makes errors read "routing.lua:12: ..."), passing <paramref name="arguments"/>
    /// pushed by the caller. Prints go to <paramref name="output"/> when given.
    /// </summary>
    public void Run(byte[] code, string chunkName, string label, StringBuilder? output = null, Func<Lua, int>? arguments = null)
    {
        Invoke(label, output, lua =>
        {
            if (lua.LoadBuffer(code, chunkName) != LuaStatus.OK)
            {
                var message = lua.ToString(-1) ?? "cannot load the chunk";
                lua.Pop(1);
                throw new ScriptException(message);
            }

            return arguments?.Invoke(lua) ?? 0;
        }, (_, _) => 0);
    }

    /// <summary>Which of the globals <paramref name="names"/> are functions now.</summary>
    public HashSet<string> WhichAreFunctions(IEnumerable<string> names) => Locked(() =>
    {
        var functions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (_state.GetGlobal(name) == LuaType.Function)
                functions.Add(name);
            _state.Pop(1);
        }

        return functions;
    });

    /// <summary>
    /// Calls the global function <paramref name="name"/> with the arguments <paramref name="arguments"/>
    /// pushes (it returns their count) and reads its results with <paramref name="results"/> (given
    /// their count); <paramref name="whenUndefined"/> when the global is not a function (any more: a
    /// script may have removed it). A failing call throws <see cref="ScriptException"/>, logged
    /// under <paramref name="label"/> (the function's name by default).
    /// </summary>
    public T Call<T>(string name, Func<Lua, int> arguments, Func<Lua, int, T> results, T whenUndefined, string? label = null)
    {
        var defined = true;
        return Invoke(label ?? name, null, lua =>
        {
            if (lua.GetGlobal(name) == LuaType.Function)
                return arguments(lua);
            // Nothing to call: a function that returns nothing stands in, and its result is ignored.
            lua.Pop(1);
            lua.LoadString("return", "=" + name);
            defined = false;
            return 0;
        }, (lua, count) => defined ? results(lua, count) : whenUndefined);
    }

    /// <summary>
    /// For a C# function about to block (network, REST API): gives the lock up while
    /// <paramref name="work"/> runs, so other callbacks and filters go on, and takes it back before Lua
    /// resumes. The coroutine that called stays parked inside the C function meanwhile; others run in
    /// coroutines of their own, so its stack is left untouched.
    /// </summary>
    public T WithoutLock<T>(Func<T> work)
    {
        var invocation = _current;
        _current = null;
        _parked++;
        _memory.Enforced = false;
        Exit();
        try
        {
            return work();
        }
        finally
        {
            _lock.Wait();
            _ownerThread = Environment.CurrentManagedThreadId;
            _parked--;
            _current = invocation;
            _memory.Enforced = true; // back to the script that called
        }
    }

    /// <summary>Appends a printed line to the output of the running execute-script, if any.</summary>
    public void AppendOutput(string line) => _current?.Output?.Append(line).Append('\n');

    private T Locked<T>(Func<T> work)
    {
        Enter();
        try
        {
            return work();
        }
        finally
        {
            Exit();
        }
    }

    private void Enter()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_ownerThread == Environment.CurrentManagedThreadId)
            throw new InvalidOperationException("The Lua lock is already held by this thread: a C# function must call WithoutLock before re-entering the engine");
        _lock.Wait();
        _ownerThread = Environment.CurrentManagedThreadId;
    }

    private void Exit()
    {
        _ownerThread = 0;
        _lock.Release();
    }

    private T Invoke<T>(string label, StringBuilder? output, Func<Lua, int> prepare, Func<Lua, int, T> results)
    {
        Enter();
        var invocation = new Invocation(label, output);
        _current = invocation;
        var thread = _state.NewThread();
        var anchor = _state.Ref(LuaRegistry.Index); // keeps the coroutine alive without using the main stack
        try
        {
            var argumentCount = prepare(thread);
            _memory.Reset();
            invocation.Deadline = _timeout > TimeSpan.Zero ? Stopwatch.GetTimestamp() + (long)(_timeout.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
            _memory.Enforced = true;
            var status = thread.Resume(null, argumentCount, out var resultCount);
            _memory.Enforced = false;
            return status switch
            {
                LuaStatus.OK => Results(invocation, thread, resultCount, results),
                LuaStatus.Yield when invocation.AbortedAt is not null => throw Failed(invocation, $"aborted after {_timeout.TotalSeconds:0.###} s (LuaCallbackTimeout) at {invocation.AbortedAt}"),
                LuaStatus.Yield => throw Failed(invocation, "attempt to yield from outside a coroutine"),
                LuaStatus.ErrMem => throw OutOfMemory(invocation, thread),
                _ => throw Failed(invocation, ErrorMessage(thread)),
            };
        }
        finally
        {
            _memory.Enforced = false;
            _state.Unref(LuaRegistry.Index, anchor);
            // After a memory failure, free what the aborted coroutine held (all of it, unless the
            // script kept it in globals) before anyone else needs memory.
            if (invocation.CollectAfterwards)
                _state.GarbageCollector(LuaGC.Collect, 0);
            _current = null;
            Exit();
        }
    }

    // A result of the wrong kind fails the call as an error in the script would (logged the same way).
    private T Results<T>(Invocation invocation, Lua thread, int count, Func<Lua, int, T> results)
    {
        try
        {
            return results(thread, count);
        }
        catch (ScriptException ex)
        {
            LogScriptFailed(_logger, invocation.Label, ex.Message);
            throw;
        }
    }

    private ScriptException Failed(Invocation invocation, string message)
    {
        LogScriptFailed(_logger, invocation.Label, message);
        return new ScriptException(message);
    }

    private ScriptException OutOfMemory(Invocation invocation, Lua thread)
    {
        var message = _memory.Exceeded
            ? $"{ErrorMessage(thread)}: the Lua state reached its memory cap of {_memory.Limit / (1024 * 1024)} MB (LuaMemoryLimit) at {Where(thread)}"
            : ErrorMessage(thread);
        invocation.CollectAfterwards = true;
        return Failed(invocation, message);
    }

    private static string ErrorMessage(Lua thread) => thread.Type(-1) switch
    {
        LuaType.String or LuaType.Number => thread.ToString(-1) ?? "unknown error",
        var type => $"(error object is a {thread.TypeName(type)} value)",
    };

    // The innermost Lua function of a failed coroutine (its stack is kept after an error).
    private static string Where(Lua thread) => LuaPlace.Find(thread, 0) ?? "an unknown place";

    // The count hook: past the deadline, leave the script by yielding (legal from a count hook and
    // done without a longjmp through our frames). Inside a non-yieldable C call (a table.sort
    // comparator, say) the next hook tries again.
    private void OnHook(IntPtr state, IntPtr debugPointer)
    {
        var invocation = _current;
        if (invocation is null || Stopwatch.GetTimestamp() < invocation.Deadline)
            return;
        var lua = Lua.FromIntPtr(state);
        if (!lua.IsYieldable)
            return;
        invocation.AbortedAt ??= LuaPlace.OfHook(lua, debugPointer);

        lua.Yield(0);
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _lock.Wait();
        _disposed = true;
        // A coroutine parked in a blocking C# function will come back into the state: leave it open
        // (this happens only when the process is stopping anyway).
        if (_parked == 0)
            _state.Close();
        _lock.Release();
    }

    private sealed class Invocation(string label, StringBuilder? output)
    {
        public string Label { get; } = label;

        public StringBuilder? Output { get; } = output;

        public long Deadline { get; set; } = long.MaxValue;

        public string? AbortedAt { get; set; }

        public bool CollectAfterwards { get; set; }
    }

    [LoggerMessage(2600, LogLevel.Error, "Lua: {Label} failed: {Message}")]
    private static partial void LogScriptFailed(ILogger logger, string label, string message);

    [LoggerMessage(2601, LogLevel.Error, "Lua: {Function}() failed: {Message}")]
    private static partial void LogFunctionFailed(ILogger logger, string function, string message);
}
