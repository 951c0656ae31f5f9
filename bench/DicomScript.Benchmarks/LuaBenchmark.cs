using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace DicomScript.Benchmarks;

/// <summary>
/// Lua beside the real Orthanc 1.10.1, same data, same run, each server its own process:
/// <list type="bullet">
/// <item>what an OnStoredInstance callback costs the ingest: 1,000 small instances over one
/// association with no script, a callback that does nothing and one that reads tags; the clock
/// stops when the last callback has run (both servers call it after the store);</item>
/// <item>auto-routing, <c>Delete(SendToModality(id, 'sink'))</c> into dcmtk's storescp, for 100 and
/// 1,000 instances: from the first instance sent until the archive is empty again, compared with
/// our ingest of the same batch without a script, timed alike (storescu's start included).</item>
/// </list>
/// Each server first handles 50 other instances the same way, untimed: the figures are those of a
/// running server, not of a process start (our JIT compiles the paths on first use).
/// </summary>
internal static class LuaBenchmark
{
    private const int Repetitions = 3;
    private const int WarmUpCount = 50;

    private static readonly (string Name, string? Script)[] Callbacks =
    [
        ("no script", null),
        ("no-op OnStoredInstance", "count = 0\nfunction OnStoredInstance(id, tags, metadata, origin) count = count + 1 end\n"),
        ("OnStoredInstance reading tags", """
            count = 0
            seen = {}
            function OnStoredInstance(id, tags, metadata, origin)
              count = count + 1
              seen[tags['PatientID'] .. '|' .. tags['StudyInstanceUID']] = tags['Modality'] .. tags['SeriesInstanceUID'] .. (metadata['RemoteAET'] or '') .. origin['RequestOrigin']
            end

            """),
    ];

    private const string Routing = "function OnStoredInstance(id) Delete(SendToModality(id, 'sink')) end\n";

    public static async Task<int> RunAsync()
    {
        var root = WorkFolder.Create("luabench-");
        try
        {
            var warmUp = BenchInstances.Generate(Path.Combine(root.FullName, "warm-up"), "MR_small.dcm", WarmUpCount, perStudy: 10, studiesPerPatient: 2);
            var small = BenchInstances.Generate(Path.Combine(root.FullName, "small"), "MR_small.dcm", 1000, perStudy: 10, studiesPerPatient: 2);
            await CallbackCostAsync(root.FullName, warmUp, small);
            Console.WriteLine();
            await RoutingAsync(root.FullName, warmUp, small);
            return 0;
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    // The runs go round the scripts and servers in turn, so that the machine's drift (its speed
    // moves by up to 2× within minutes) falls on all of them alike.
    private static async Task CallbackCostAsync(string root, List<string> warmUp, List<string> files)
    {
        var kinds = new[] { Kind.Ours, Kind.Orthanc };
        var rates = new Dictionary<(string, Kind), List<double>>();
        var cpu = new Dictionary<(string, Kind), List<double>>();
        for (var run = 0; run < Repetitions; run++)
        {
            foreach (var (name, script) in Callbacks)
            {
                foreach (var kind in kinds)
                {
                    using var server = StartWithScript(kind, root, script, null);
                    Peers.RunStorescu(warmUp, 1, server.Port, ArchiveProcess.Aet);
                    if (script is not null)
                        await UntilAsync(server, "print(count)", warmUp.Count.ToString(CultureInfo.InvariantCulture));
                    var before = server.CpuTime();
                    var watch = Stopwatch.StartNew();
                    Peers.RunStorescu(files, 1, server.Port, ArchiveProcess.Aet);
                    if (script is not null)
                        await UntilAsync(server, "print(count)", (warmUp.Count + files.Count).ToString(CultureInfo.InvariantCulture));
                    Add(rates, (name, kind), files.Count / watch.Elapsed.TotalSeconds);
                    Add(cpu, (name, kind), (server.CpuTime() - before).TotalMilliseconds / files.Count);
                }
            }
        }

        Console.WriteLine("| 1,000 small instances, 1 association | DicomScript inst/s | CPU ms/inst | cost | Orthanc 1.10.1 inst/s | CPU ms/inst | cost |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        var baseline = kinds.ToDictionary(kind => kind, kind => Figures.Median(rates[(Callbacks[0].Name, kind)]));
        foreach (var (name, script) in Callbacks)
        {
            string Cells(Kind kind)
            {
                var rate = Figures.Median(rates[(name, kind)]);
                var cost = script is null ? "" : $"{(1 - rate / baseline[kind]) * 100:0} %";
                return $"{rate:0} | {Figures.Median(cpu[(name, kind)]):0.00} | {cost}";
            }

            Console.WriteLine($"| {name} | {Cells(Kind.Ours)} | {Cells(Kind.Orthanc)} |");
        }
    }

    private static void Add<TKey>(Dictionary<TKey, List<double>> figures, TKey key, double value) where TKey : notnull
    {
        if (!figures.TryGetValue(key, out var list))
            figures[key] = list = [];
        list.Add(value);
    }

    private static async Task RoutingAsync(string root, List<string> warmUp, List<string> files)
    {
        Console.WriteLine("| auto-routing into storescp | DicomScript inst/s | Orthanc 1.10.1 inst/s | ours / Orthanc | our ingest of the batch, inst/s | ours / our ingest |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var count in new[] { 100, 1000 })
        {
            var batch = files.Take(count).ToList();
            var rates = new Dictionary<Kind, List<double>> { [Kind.Ours] = [], [Kind.Orthanc] = [] };
            var ingest = new List<double>();
            for (var run = 0; run < Repetitions; run++)
            {
                using (var server = StartWithScript(Kind.Ours, root, null, null))
                {
                    Peers.RunStorescu(warmUp, 1, server.Port, ArchiveProcess.Aet);
                    var watch = Stopwatch.StartNew();
                    Peers.RunStorescu(batch, 1, server.Port, ArchiveProcess.Aet);
                    ingest.Add(count / watch.Elapsed.TotalSeconds);
                }

                foreach (var kind in rates.Keys)
                {
                    var received = Directory.CreateDirectory(Path.Combine(root, $"sink-{Guid.NewGuid():N}"));
                    var sinkPort = Peers.FreePort();
                    var sink = Peers.StartProcess("storescp", ["-od", received.FullName, sinkPort.ToString(CultureInfo.InvariantCulture)]);
                    try
                    {
                        Peers.WaitListening(sinkPort);
                        using var server = StartWithScript(kind, root, Routing, new JsonObject { ["sink"] = new JsonArray("SINK", "127.0.0.1", sinkPort) });
                        Peers.RunStorescu(warmUp, 1, server.Port, ArchiveProcess.Aet);
                        await UntilEmptyAsync(server);
                        var watch = Stopwatch.StartNew();
                        Peers.RunStorescu(batch, 1, server.Port, ArchiveProcess.Aet);
                        await UntilEmptyAsync(server);
                        rates[kind].Add(count / watch.Elapsed.TotalSeconds);
                        var arrived = received.GetFiles().Length - warmUp.Count;
                        if (arrived != count)
                            throw new InvalidOperationException($"{kind}: {arrived} of {count} instances arrived at storescp");
                    }
                    finally
                    {
                        Peers.Kill(sink);
                        sink.Dispose();
                        received.Delete(recursive: true);
                    }
                }
            }

            var (ours, theirs, ourIngest) = (Figures.Median(rates[Kind.Ours]), Figures.Median(rates[Kind.Orthanc]), Figures.Median(ingest));
            Console.WriteLine($"| {count:N0} small instances | {ours:0} | {theirs:0} | {ours / theirs:0.0}× | {ourIngest:0} | {ours / ourIngest:0.00} |");
        }
    }

    private static ArchiveProcess StartWithScript(Kind kind, string root, string? script, JsonObject? modalities)
    {
        var extra = new JsonObject { ["ExecuteLuaEnabled"] = true };
        if (script is not null)
        {
            var path = Path.Combine(root, $"script-{Guid.NewGuid():N}.lua");
            File.WriteAllText(path, script);
            extra["LuaScripts"] = new JsonArray(path);
        }

        if (modalities is not null)
            extra["DicomModalities"] = modalities;
        return ArchiveProcess.Start(kind, root, extra);
    }

    private static async Task UntilAsync(ArchiveProcess server, string code, string expected)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpPort}/") };
        for (var i = 0; i < 12_000; i++)
        {
            using var response = await http.PostAsync("tools/execute-script", new StringContent(code, Encoding.UTF8));
            if ((await response.Content.ReadAsStringAsync()).Trim() == expected)
                return;
            await Task.Delay(5);
        }

        throw new InvalidOperationException($"{code} never printed {expected}");
    }

    // Polled every millisecond: a batch of 100 takes ~100 ms, and a coarser poll adds its step to
    // the time of whichever server it catches.
    private static async Task UntilEmptyAsync(ArchiveProcess server)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpPort}/") };
        for (var i = 0; i < 300_000; i++)
        {
            var statistics = JsonNode.Parse(await http.GetStringAsync("statistics"))!;
            if (statistics["CountInstances"]!.GetValue<int>() == 0)
                return;
            await Task.Delay(1);
        }

        throw new InvalidOperationException("the archive never emptied");
    }

}
