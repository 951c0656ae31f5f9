using DicomScript.Scripting.Engine;
using DicomScript.Server.Scripting;

namespace DicomScript.Scripting.Events;

/// <summary>
/// OnHeartBeat() every LuaHeartBeatPeriod seconds, measured from the end of one call to the start of
/// the next (as Orthanc), on a thread of its own; only when the period is positive and a script
/// defines OnHeartBeat at start. An error is logged and the beat goes on (in Orthanc it escapes the
/// thread).
/// </summary>
internal sealed class HeartBeat(LuaEngine engine, TimeSpan period) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public void Start() => _loop = Task.Run(RunAsync);

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(period, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                engine.Call(DefinedCallbacks.OnHeartBeat, _ => 0, (_, _) => 0, 0);
            }
            catch (ScriptException)
            {
                // Logged by the engine with the script's place.
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
            await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
