using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace DicomScript.Benchmarks;

/// <summary>
/// REST throughput beside the real Orthanc 1.10.1, same data, same run: 2,000 small instances
/// (200 studies, 100 patients) stored in both over DICOM, then <c>GET /instances/{id}/tags</c> over
/// every instance in turn and a few <c>POST /tools/find</c>, each by 1 and by 4 concurrent clients
/// (each client its own connection, kept alive). The client is the same for both servers; figures
/// are requests per second (wall clock) and the server's CPU time per request.
/// </summary>
internal static class RestBenchmark
{
    private const int Instances = 2_000;
    private const int Repetitions = 3;

    private static readonly (string Name, string? Find, int Requests)[] Workloads =
    [
        ("GET /instances/{id}/tags", null, 6_000),
        ("find Study PatientID=P000042", """{"Level":"Study","Query":{"PatientID":"P000042"}}""", 4_000),
        ("find Study PatientName=BENCH^PATIENT00004*, Expand", """{"Level":"Study","Query":{"PatientName":"BENCH^PATIENT00004*"},"Expand":true}""", 2_000),
        ("find Instance SOPInstanceUID (one), Expand", """{"Level":"Instance","Query":{"SOPInstanceUID":"{uid}"},"Expand":true}""", 4_000),
        ("find Series StudyDate range, Limit 50", """{"Level":"Series","Query":{"StudyDate":"20200101-20200331"},"Limit":50}""", 1_000),
    ];

    public static async Task<int> RunAsync()
    {
        var root = WorkFolder.Create("restbench-");
        try
        {
            var files = BenchInstances.Generate(Path.Combine(root.FullName, "files"), "MR_small.dcm", Instances, perStudy: 10, studiesPerPatient: 2);
            using var ours = ArchiveProcess.Start(Kind.Ours, root.FullName);
            using var orthanc = ArchiveProcess.Start(Kind.Orthanc, root.FullName);
            foreach (var server in new[] { ours, orthanc })
                Peers.RunStorescu(files, 4, server.Port, ArchiveProcess.Aet);

            using var probe = Client(ours.HttpPort);
            var ids = JsonNode.Parse(await probe.GetStringAsync(new Uri("instances", UriKind.Relative)))!.AsArray().Select(n => n!.GetValue<string>()).ToArray();
            if (ids.Length != Instances)
                throw new InvalidOperationException($"{ids.Length} instances stored in ours, {Instances} sent");
            var someUid = JsonNode.Parse(await probe.GetStringAsync(new Uri($"instances/{ids[17]}", UriKind.Relative)))!["MainDicomTags"]!["SOPInstanceUID"]!.GetValue<string>();

            Console.WriteLine($"REST, {Instances:N0} small instances stored; median of {Repetitions} runs, alternating servers.");
            Console.WriteLine();
            Console.WriteLine("| request | clients | DicomScript req/s | CPU ms/req | Orthanc 1.10.1 req/s | CPU ms/req | rate ratio (ours / Orthanc) |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            foreach (var (name, find, requests) in Workloads)
            {
                var body = find?.Replace("{uid}", someUid, StringComparison.Ordinal);
                foreach (var clients in new[] { 1, 4 })
                {
                    var results = new Dictionary<Kind, List<(double Rate, double Cpu)>> { [Kind.Ours] = [], [Kind.Orthanc] = [] };
                    for (var run = 0; run < Repetitions; run++)
                    {
                        foreach (var (kind, server) in new[] { (Kind.Ours, ours), (Kind.Orthanc, orthanc) })
                            results[kind].Add(await MeasureAsync(server, ids, body, requests, clients));
                    }

                    var (ourRate, ourCpu) = Median(results[Kind.Ours]);
                    var (theirRate, theirCpu) = Median(results[Kind.Orthanc]);
                    Console.WriteLine($"| {name} | {clients} | {ourRate:0} | {ourCpu:0.000} | {theirRate:0} | {theirCpu:0.000} | {ourRate / theirRate:0.00} |");
                }
            }

            await CheckSameAnswersAsync(ours, orthanc, ids, someUid);
            Console.WriteLine();
            Console.WriteLine($"Peak RSS (MB, VmHWM): DicomScript {ours.PeakRssMb():0}, Orthanc 1.10.1 {orthanc.PeakRssMb():0}");
            return 0;
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    // One request kind, `clients` tasks sharing `requests` requests (instance IDs taken in turn), after a warm-up.
    private static async Task<(double Rate, double CpuMs)> MeasureAsync(ArchiveProcess server, string[] ids, string? findBody, int requests, int clients)
    {
        var http = Enumerable.Range(0, clients).Select(_ => Client(server.HttpPort)).ToArray();
        try
        {
            var next = -1;
            async Task WorkAsync(HttpClient client, int count)
            {
                while (Interlocked.Increment(ref next) < count)
                {
                    using var request = findBody is null
                        ? new HttpRequestMessage(HttpMethod.Get, $"instances/{ids[next % ids.Length]}/tags")
                        : new HttpRequestMessage(HttpMethod.Post, "tools/find") { Content = new StringContent(findBody, Encoding.UTF8, "application/json") };
                    using var response = await client.SendAsync(request).ConfigureAwait(false);
                    var answer = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                    if (response.StatusCode != HttpStatusCode.OK || answer.Length == 0)
                        throw new InvalidOperationException($"{request.Method} {request.RequestUri}: HTTP {(int)response.StatusCode}");
                }
            }

            await Task.WhenAll(http.Select(c => WorkAsync(c, requests / 10))); // warm-up: connections, caches, JIT
            next = -1;
            var before = server.CpuTime();
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(http.Select(c => WorkAsync(c, requests)));
            var seconds = watch.Elapsed.TotalSeconds;
            return (requests / seconds, (server.CpuTime() - before).TotalMilliseconds / requests);
        }
        finally
        {
            foreach (var client in http)
                client.Dispose();
        }
    }

    // The figures compare like with like only if both servers answer the same.
    private static async Task CheckSameAnswersAsync(ArchiveProcess ours, ArchiveProcess orthanc, string[] ids, string someUid)
    {
        using var a = Client(ours.HttpPort);
        using var b = Client(orthanc.HttpPort);
        foreach (var (_, find, _) in Workloads)
        {
            if (find is null)
            {
                var (mine, theirs) = (JsonNode.Parse(await a.GetStringAsync(new Uri($"instances/{ids[5]}/tags", UriKind.Relative))),
                    JsonNode.Parse(await b.GetStringAsync(new Uri($"instances/{ids[5]}/tags", UriKind.Relative))));
                if (!JsonNode.DeepEquals(mine, theirs))
                    throw new InvalidOperationException("the tags of an instance differ between the servers");
                continue;
            }

            var body = find.Replace("{uid}", someUid, StringComparison.Ordinal);
            using var ourAnswer = await a.PostAsync(new Uri("tools/find", UriKind.Relative), new StringContent(body));
            using var theirAnswer = await b.PostAsync(new Uri("tools/find", UriKind.Relative), new StringContent(body));
            var (ourCount, theirCount) = (JsonNode.Parse(await ourAnswer.Content.ReadAsStringAsync())!.AsArray().Count,
                JsonNode.Parse(await theirAnswer.Content.ReadAsStringAsync())!.AsArray().Count);
            if (ourCount != theirCount || ourCount == 0)
                throw new InvalidOperationException($"{body}: {ourCount} answers from us, {theirCount} from Orthanc");
        }
    }

    private static HttpClient Client(int port) => new(new SocketsHttpHandler { MaxConnectionsPerServer = 1 })
    {
        BaseAddress = new Uri($"http://127.0.0.1:{port}/"),
    };

    private static (double Rate, double Cpu) Median(List<(double Rate, double Cpu)> runs) =>
        (runs.Select(r => r.Rate).Order().ElementAt(runs.Count / 2), runs.Select(r => r.Cpu).Order().ElementAt(runs.Count / 2));
}
