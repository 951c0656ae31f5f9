using System.Diagnostics;
using System.Globalization;
using System.Net;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using DicomScript.Network.Dimse;
using DicomScript.Network.Scp;
using DicomScript.Network.Scu;

namespace DicomScript.Benchmarks;

/// <summary>
/// C-STORE throughput, side by side with dcmtk in the same run: storescu feeding our SCP (a handler
/// that writes each dataset to a Part-10 file) and feeding dcmtk's storescp; then our SCU and
/// storescu each sending to storescp. Everything on loopback.
/// </summary>
internal static class NetworkBenchmark
{
    public static async Task<int> RunAsync()
    {
        var root = Directory.CreateTempSubdirectory("netbench-");
        try
        {
            var small = Generate(Path.Combine(root.FullName, "small"), "MR_small.dcm", 1000, null);
            var large = Generate(Path.Combine(root.FullName, "large"), "CT_small.dcm", 200, 512);
            Console.WriteLine("| workload | associations | DicomScript SCP (inst/s) | dcmtk storescp (inst/s) | ratio |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            foreach (var (name, files) in new[] { ("1,000 small (10 KB)", small), ("200 CT 512×512 (520 KB)", large) })
            {
                foreach (var associations in new[] { 1, 4 })
                {
                    // Alternating runs, median of three: this 2-core machine's figures vary a lot run to run.
                    var ours = new List<double>();
                    var theirsRuns = new List<double>();
                    for (var run = 0; run < Repetitions; run++)
                    {
                        ours.Add(await MeasureOurScpAsync(files, associations, root.FullName));
                        theirsRuns.Add(MeasureStorescp(files, associations, root.FullName));
                    }

                    Report(name, associations, Median(ours), Median(theirsRuns));
                }
            }

            Console.WriteLine();
            Console.WriteLine("| workload | DicomScript SCU → storescp (inst/s) | storescu → storescp (inst/s) | ratio |");
            Console.WriteLine("|---|---:|---:|---:|");
            foreach (var (name, files) in new[] { ("1,000 small (10 KB)", small), ("200 CT 512×512 (520 KB)", large) })
            {
                var ours = new List<double>();
                var theirs = new List<double>();
                for (var run = 0; run < Repetitions; run++)
                {
                    ours.Add(await MeasureOurScuAsync(files, root.FullName));
                    theirs.Add(MeasureStorescuToStorescp(files, root.FullName));
                }

                Console.WriteLine($"| {name} | {Median(ours):0} | {Median(theirs):0} | {Median(ours) / Median(theirs):0.00} |");
            }

            return 0;
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    private const int Repetitions = 3;

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static void Report(string name, int associations, double ours, double theirs) =>
        Console.WriteLine($"| {name} | {associations} | {ours:0} | {theirs:0} | {ours / theirs:0.00} |");

    // Copies of a corpus file with new UIDs (and, for 'size', full-size pixel data).
    private static List<string> Generate(string folder, string source, int count, int? size)
    {
        Directory.CreateDirectory(folder);
        var template = DicomFile.Open(TestData.File(source));
        if (size is { } n)
        {
            template.Dataset.AddUInt16(DicomTags.Rows, (ushort)n).AddUInt16(DicomTags.Columns, (ushort)n);
            var pixels = new byte[n * n * 2];
            new Random(7).NextBytes(pixels);
            template.Dataset.AddBytes(DicomTags.PixelData, DicomVR.OW, pixels);
        }

        var files = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var uid = $"2.25.{1000000 + i}.{Environment.TickCount64 % 100000}";
            template.Dataset.AddString(DicomTags.SOPInstanceUID, DicomVR.UI, uid);
            template.Meta.AddString(DicomTags.MediaStorageSOPInstanceUID, DicomVR.UI, uid);
            var path = Path.Combine(folder, $"{i:D5}.dcm");
            DicomWriter.WriteFile(path, template);
            files.Add(path);
        }

        return files;
    }

    private static async Task<double> MeasureOurScpAsync(List<string> files, int associations, string root)
    {
        var output = Directory.CreateDirectory(Path.Combine(root, $"ours-{Guid.NewGuid():N}"));
        var handler = new FileWritingHandler(output.FullName);
        await using var server = new DicomServer(new DicomServerOptions { AETitle = "BENCH", BindAddress = IPAddress.Loopback, Port = 0 }, new HandlerSet(Store: handler));
        server.Start();
        var seconds = RunStorescu(files, associations, server.Port);
        output.Delete(recursive: true);
        return files.Count / seconds;
    }

    private static double MeasureStorescp(List<string> files, int associations, string root)
    {
        var output = Directory.CreateDirectory(Path.Combine(root, $"dcmtk-{Guid.NewGuid():N}"));
        var port = FreePort();
        using var storescp = StartProcess("storescp", ["--fork", "-aet", "BENCH", "-od", output.FullName, port.ToString(CultureInfo.InvariantCulture)]);
        WaitListening(port);
        var seconds = RunStorescu(files, associations, port);
        Kill(storescp);
        output.Delete(recursive: true);
        return files.Count / seconds;
    }

    private static async Task<double> MeasureOurScuAsync(List<string> files, string root)
    {
        var output = Directory.CreateDirectory(Path.Combine(root, $"scu-{Guid.NewGuid():N}"));
        var port = FreePort();
        using var storescp = StartProcess("storescp", ["-aet", "BENCH", "-od", output.FullName, port.ToString(CultureInfo.InvariantCulture)]);
        WaitListening(port);
        var watch = Stopwatch.StartNew();
        var client = new DicomClient(new DicomClientOptions("127.0.0.1", port, "OURSCU", "BENCH"));
        // The files are read as part of the work, one at a time, as storescu reads them.
        var statuses = await client.StoreAsync(files);
        var seconds = watch.Elapsed.TotalSeconds;
        Kill(storescp);
        output.Delete(recursive: true);
        if (statuses.Any(s => s != DimseStatus.Success))
            throw new InvalidOperationException("a store failed");
        return files.Count / seconds;
    }

    private static double MeasureStorescuToStorescp(List<string> files, string root)
    {
        var output = Directory.CreateDirectory(Path.Combine(root, $"scu2-{Guid.NewGuid():N}"));
        var port = FreePort();
        using var storescp = StartProcess("storescp", ["-aet", "BENCH", "-od", output.FullName, port.ToString(CultureInfo.InvariantCulture)]);
        WaitListening(port);
        var seconds = RunStorescu(files, 1, port);
        Kill(storescp);
        output.Delete(recursive: true);
        return files.Count / seconds;
    }

    // storescu over 'associations' parallel processes, each sending its share of the files.
    private static double RunStorescu(List<string> files, int associations, int port)
    {
        var shares = Enumerable.Range(0, associations).Select(a => files.Where((_, i) => i % associations == a).ToList()).ToList();
        var watch = Stopwatch.StartNew();
        var processes = shares.Select(share => StartProcess("storescu",
            ["-aet", "BENCHSCU", "-aec", "BENCH", "127.0.0.1", port.ToString(CultureInfo.InvariantCulture), .. share])).ToList();
        foreach (var process in processes)
        {
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"storescu failed: {process.StandardError.ReadToEnd()}");
            process.Dispose();
        }

        return watch.Elapsed.TotalSeconds;
    }

    private static Process StartProcess(string tool, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(tool) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = false };
        // dcmtk leaves Nagle on unless told: with delayed ACKs that costs ~40 ms per message.
        start.Environment["TCP_NODELAY"] = "1";
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        return Process.Start(start) ?? throw new InvalidOperationException($"cannot start {tool} (apt-get install dcmtk)");
    }

    private static void Kill(Process process)
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void WaitListening(int port)
    {
        for (var i = 0; i < 200; i++)
        {
            try
            {
                using var probe = new System.Net.Sockets.TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                return;
            }
            catch (System.Net.Sockets.SocketException)
            {
                Thread.Sleep(25);
            }
        }
    }

    /// <summary>Writes each received dataset as a Part-10 file: preamble, meta group, the bytes as received.</summary>
    private sealed class FileWritingHandler(string folder) : ICStoreHandler
    {
        public async Task<ushort> StoreAsync(CStoreRequest request, CancellationToken cancellationToken)
        {
            var meta = new DicomDataset()
                .AddString(DicomTags.MediaStorageSOPClassUID, DicomVR.UI, request.SopClassUid)
                .AddString(DicomTags.MediaStorageSOPInstanceUID, DicomVR.UI, request.SopInstanceUid);
            // Synchronous writes, as storescp does (.NET emulates async file I/O with thread-pool work on Linux).
            using var file = new FileStream(Path.Combine(folder, request.SopInstanceUid + ".dcm"), FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024);
            DicomWriter.WriteFileHeader(file, meta, new DicomDataset(), request.DataSet.TransferSyntax);
            await request.DataSet.CopyToAsync(file, cancellationToken);
            return DimseStatus.Success;
        }
    }
}
