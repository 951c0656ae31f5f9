using System.Diagnostics;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Network.Scu;

namespace DicomScript.Benchmarks;

/// <summary>
/// The archive beside the real Orthanc 1.10.1, same data, same run: C-STORE ingest (storescu, 1 and 4
/// associations, into a fresh archive each time, a batch into the fresh process and a second into
/// it running), C-FIND at study level with 10,000 instances stored, and each server's peak
/// resident memory. Both run as their own processes on loopback.
/// </summary>
internal static class ArchiveBenchmark
{
    private const int Repetitions = 3;
    // Each query is timed QueryRepetitions times after QueryWarmUps warm-ups (a server answers the same
    // queries for months: the figure of interest is the steady one, not the JIT's first tiers, of
    // this client either, which the first query of a kind would otherwise pay for);
    // the median, as single runs on this 2-core machine jump with the neighbours' load.
    private const int QueryWarmUps = 40;
    private const int QueryRepetitions = 40;

    /// <param name="findOnly">Only the C-FIND part (`archive find`), which needs no fresh processes per run.</param>
    public static async Task<int> RunAsync(bool findOnly = false)
    {
        var root = WorkFolder.Create("archivebench-");
        try
        {
            if (findOnly)
            {
                var peakRss = new Dictionary<Kind, double> { [Kind.Ours] = 0, [Kind.Orthanc] = 0 };
                await QueryAsync(root.FullName, peakRss);
                Console.WriteLine();
                Console.WriteLine($"Peak RSS (MB, VmHWM): DicomScript {peakRss[Kind.Ours]:0}, Orthanc 1.10.1 {peakRss[Kind.Orthanc]:0}");
                return 0;
            }

            // Each batch twice with different UIDs: the first into a fresh process (the JIT compiles
            // every method on its first call, which dominates a fresh .NET process's first thousand
            // instances), the second into the same process once running, the rate an archive keeps.
            var small = BenchInstances.Generate(Path.Combine(root.FullName, "small"), "MR_small.dcm", 1000, perStudy: 10, studiesPerPatient: 2);
            var smallAgain = BenchInstances.Generate(Path.Combine(root.FullName, "small-again"), "MR_small.dcm", 1000, perStudy: 10, studiesPerPatient: 2);
            var large = BenchInstances.Generate(Path.Combine(root.FullName, "large"), "CT_small.dcm", 200, pixelSize: 512, perStudy: 50);
            var largeAgain = BenchInstances.Generate(Path.Combine(root.FullName, "large-again"), "CT_small.dcm", 200, pixelSize: 512, perStudy: 50);
            var peak = new Dictionary<Kind, double> { [Kind.Ours] = 0, [Kind.OursSynced] = 0, [Kind.Orthanc] = 0 };
            var rows = new Dictionary<bool, List<string>> { [false] = [], [true] = [] };
            foreach (var (name, first, second) in new[] { ("1,000 small (10 KB)", small, smallAgain), ("200 CT 512×512 (520 KB)", large, largeAgain) })
            {
                foreach (var associations in new[] { 1, 4 })
                {
                    var passes = peak.Keys.SelectMany(kind => new[] { (kind, false), (kind, true) }).ToList();
                    var rates = passes.ToDictionary(pass => pass, _ => new List<double>());
                    var cpu = passes.ToDictionary(pass => pass, _ => new List<double>());
                    for (var run = 0; run < Repetitions; run++)
                    {
                        foreach (var kind in peak.Keys)
                        {
                            using var server = ArchiveProcess.Start(kind, root.FullName);
                            foreach (var (files, running) in new[] { (first, false), (second, true) })
                            {
                                var before = server.CpuTime();
                                var rate = files.Count / Peers.RunStorescu(files, associations, server.Port, ArchiveProcess.Aet);
                                rates[(kind, running)].Add(rate);
                                cpu[(kind, running)].Add((server.CpuTime() - before).TotalMilliseconds / files.Count);
                            }

                            peak[kind] = Math.Max(peak[kind], server.PeakRssMb());
                        }
                    }

                    foreach (var running in new[] { false, true })
                    {
                        string Cells(Kind kind) => $"{Figures.Median(rates[(kind, running)]):0} | {Figures.Median(cpu[(kind, running)]):0.00}";
                        rows[running].Add($"| {name} | {associations} | {Cells(Kind.Ours)} | {Cells(Kind.OursSynced)} | {Cells(Kind.Orthanc)} | " +
                                          $"{Figures.Median(rates[(Kind.Ours, running)]) / Figures.Median(rates[(Kind.Orthanc, running)]):0.0}× | " +
                                          $"{Figures.Median(cpu[(Kind.Orthanc, running)]) / Figures.Median(cpu[(Kind.Ours, running)]):0.0}× |");
                    }
                }
            }

            // Wall-clock rates are bounded by storescu sharing the 2 cores (and its start-up per
            // association); the server's CPU time per instance is what the server itself costs.
            foreach (var (running, title) in new[] { (true, "Running process (the second batch)"), (false, "Fresh process (the first batch)") })
            {
                Console.WriteLine();
                Console.WriteLine(title);
                Console.WriteLine();
                Console.WriteLine("| workload | assoc. | DicomScript inst/s | CPU ms/inst | SyncStorageArea inst/s | CPU ms/inst | Orthanc 1.10.1 inst/s | CPU ms/inst | rate ratio (ours / Orthanc) | CPU ratio (Orthanc / ours) |");
                Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
                rows[running].ForEach(Console.WriteLine);
            }

            Console.WriteLine();
            await QueryAsync(root.FullName, peak);
            Console.WriteLine();
            Console.WriteLine("| peak RSS (MB, VmHWM, over all runs above) | DicomScript | DicomScript, SyncStorageArea | Orthanc 1.10.1 |");
            Console.WriteLine("|---|---:|---:|---:|");
            Console.WriteLine($"| | {peak[Kind.Ours]:0} | {peak[Kind.OursSynced]:0} | {peak[Kind.Orthanc]:0} |");
            return 0;
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    // 10,000 instances (1,000 studies of 10, 2 studies per patient) stored in both, then C-FINDs
    // sent by our SCU to each: the same client, so only the servers differ.
    private static async Task QueryAsync(string root, Dictionary<Kind, double> peak)
    {
        var files = BenchInstances.Generate(Path.Combine(root, "many"), "MR_small.dcm", 10_000, perStudy: 10, studiesPerPatient: 2);
        using var ours = ArchiveProcess.Start(Kind.Ours, root);
        using var orthanc = ArchiveProcess.Start(Kind.Orthanc, root);
        (double Rate, double CpuMs) Load(ArchiveProcess server)
        {
            var before = server.CpuTime();
            var rate = files.Count / Peers.RunStorescu(files, 4, server.Port, ArchiveProcess.Aet);
            return (rate, (server.CpuTime() - before).TotalMilliseconds / files.Count);
        }

        var (ourRate, ourCpu) = Load(ours);
        var (theirRate, theirCpu) = Load(orthanc);
        Console.WriteLine($"Loading 10,000 instances over 4 associations: DicomScript {ourRate:0} inst/s ({ourCpu:0.00} ms CPU/inst), " +
                          $"Orthanc {theirRate:0} inst/s ({theirCpu:0.00} ms CPU/inst): rate {ourRate / theirRate:0.0}×, CPU {theirCpu / ourCpu:0.0}× less.");
        Console.WriteLine();

        var queries = new (string Name, (DicomTag Tag, DicomVR VR, string Value)[] Keys)[]
        {
            ("PatientID=P000123 (2 studies)", [(DicomTags.PatientID, DicomVR.LO, "P000123")]),
            ("AccessionNumber=A0000500 (1 study)", [(DicomTags.AccessionNumber, DicomVR.SH, "A0000500")]),
            ("PatientName=BENCH^PATIENT0001* + StudyDate range (100 studies)", [(DicomTags.PatientName, DicomVR.PN, "BENCH^PATIENT0001*"), (DicomTags.StudyDate, DicomVR.DA, "20200101-20200630")]),
            ("universal (1,000 studies)", []),
        };
        Console.WriteLine("| C-FIND, study level, 10,000 instances stored | answers | DicomScript (ms/query) | Orthanc 1.10.1 (ms/query) | time ratio |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var (name, keys) in queries)
        {
            var (answers, ourMs) = await TimeQueryAsync(ours.Port, keys);
            var (theirAnswers, theirMs) = await TimeQueryAsync(orthanc.Port, keys);
            if (answers != theirAnswers)
                throw new InvalidOperationException($"{name}: {answers} answers from us, {theirAnswers} from Orthanc");
            Console.WriteLine($"| {name} | {answers} | {ourMs:0.0} | {theirMs:0.0} | {ourMs / theirMs:0.00} |");
        }

        peak[Kind.Ours] = Math.Max(peak[Kind.Ours], ours.PeakRssMb());
        peak[Kind.Orthanc] = Math.Max(peak[Kind.Orthanc], orthanc.PeakRssMb());
    }

    private static async Task<(int Answers, double Milliseconds)> TimeQueryAsync(int port, (DicomTag Tag, DicomVR VR, string Value)[] keys)
    {
        var client = new DicomClient(new DicomClientOptions("127.0.0.1", port, "BENCHSCU", ArchiveProcess.Aet));
        var identifier = new DicomDataset()
            .AddString(DicomTags.QueryRetrieveLevel, DicomVR.CS, "STUDY")
            .AddString(DicomTags.StudyInstanceUID, DicomVR.UI, "")
            .AddString(DicomTags.PatientName, DicomVR.PN, "")
            .AddString(DicomTags.PatientID, DicomVR.LO, "")
            .AddString(DicomTags.StudyDate, DicomVR.DA, "")
            .AddString(DicomTags.AccessionNumber, DicomVR.SH, "");
        foreach (var (tag, vr, value) in keys)
            identifier.AddString(tag, vr, value);
        const string studyRoot = "1.2.840.10008.5.1.4.1.2.2.1";
        var answers = 0;
        for (var warmUp = 0; warmUp < QueryWarmUps; warmUp++)
            answers = await CountAsync(client.FindAsync(studyRoot, identifier));
        var times = new List<double>();
        for (var i = 0; i < QueryRepetitions; i++)
        {
            var watch = Stopwatch.StartNew();
            await CountAsync(client.FindAsync(studyRoot, identifier));
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        return (answers, Figures.Median(times));
    }

    private static async Task<int> CountAsync(IAsyncEnumerable<DicomDataset> answers)
    {
        var count = 0;
        await foreach (var _ in answers)
            count++;
        return count;
    }

}
