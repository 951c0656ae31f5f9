using System.Runtime.InteropServices;
using KeraLua;

namespace DicomScript.Scripting.Engine;

/// <summary>
/// The Lua state's allocator, refusing to grow the state past a limit: Lua then raises its own
/// "not enough memory" error inside the script (no exception crosses into Lua from C#), the callback
/// fails and the server goes on. Only the thread holding the engine's lock runs Lua, so the counter
/// needs no synchronisation.
/// </summary>
internal sealed unsafe class LuaMemoryCap
{
    private readonly long _limit;

    public LuaMemoryCap(long limitBytes)
    {
        _limit = limitBytes > 0 ? limitBytes : long.MaxValue;
        Allocator = Allocate;
    }

    /// <summary>The delegate handed to Lua; kept here so the collector never frees it while Lua holds it.</summary>
    public LuaAlloc Allocator { get; }

    /// <summary>Bytes the state holds now.</summary>
    public long Used { get; private set; }

    /// <summary>True when the last refusal came from the limit (not from the system).</summary>
    public bool Exceeded { get; private set; }

    /// <summary>
    /// The limit applies only while a script runs (inside a protected call, where Lua turns a refused
    /// allocation into an error the script gets). Outside it (a new coroutine, the arguments pushed
    /// for a callback) a refusal would make Lua abort the process.
    /// </summary>
    public bool Enforced { get; set; }

    public long Limit => _limit;

    // Lua's lua_Alloc contract: nsize 0 frees; otherwise (re)allocate, returning null on failure with
    // the old block left intact. When ptr is null, osize tells the kind of object, not a size.
    private IntPtr Allocate(IntPtr userData, IntPtr pointer, UIntPtr oldSize, UIntPtr newSize)
    {
        var old = pointer == IntPtr.Zero ? 0L : (long)oldSize;
        if (newSize == UIntPtr.Zero)
        {
            if (pointer != IntPtr.Zero)
            {
                NativeMemory.Free((void*)pointer);
                Used -= old;
            }

            return IntPtr.Zero;
        }

        var growth = (long)newSize - old;
        if (growth > 0 && Enforced && Used + growth > _limit)
        {
            Exceeded = true;
            return IntPtr.Zero;
        }

        var block = (IntPtr)NativeMemory.Realloc((void*)pointer, newSize);
        if (block != IntPtr.Zero)
            Used += growth;
        return block;
    }

    /// <summary>Forgets a past refusal (before a new invocation).</summary>
    public void Reset() => Exceeded = false;
}
