using System.Diagnostics;
using System.Globalization;
using NUnit.Framework;

namespace DicomScript.Scripting.Tests.Support;

/// <summary>Waiting for what a callback does: callbacks run on the event thread, after the request that caused them has answered.</summary>
internal static class LuaPolling
{
    /// <summary>Runs <paramref name="code"/> until it prints <paramref name="expected"/> (or fails after <paramref name="seconds"/>); the last output.</summary>
    public static async Task<string> UntilAsync(ScriptedArchive server, string code, Func<string, bool> expected, int seconds = 20)
    {
        var clock = Stopwatch.StartNew();
        string output;
        while (!expected(output = await server.OutputAsync(code)))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(seconds))
                Assert.Fail($"still '{output.TrimEnd()}' after {seconds} s: {code}");
            await Task.Delay(50);
        }

        return output;
    }

    /// <summary>Waits until <paramref name="done"/> holds, failing with <paramref name="what"/> after <paramref name="seconds"/>.</summary>
    public static async Task ConditionAsync(Func<Task<bool>> done, string what, int seconds = 30)
    {
        var clock = Stopwatch.StartNew();
        while (!await done())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(seconds))
                Assert.Fail($"not after {seconds} s: {what}");
            await Task.Delay(100);
        }
    }

    /// <summary>The dispatcher's backlog, as /tools/metrics-prometheus shows it.</summary>
    public static async Task<long> PendingEventsAsync(HttpClient http)
    {
        var metrics = await http.GetStringAsync("tools/metrics-prometheus");
        var line = metrics.Split('\n').Single(l => l.StartsWith("dicomscript_lua_events_pending ", StringComparison.Ordinal));
        return long.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);
    }
}
