using System.Buffers;
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
        var root = WorkFolder.Create("netbench-");
        try
        {
            var small = BenchInstances.Generate(Path.Combine(root.FullName, "small"), "MR_small.dcm", 1000);
            var large = BenchInstances.Generate(Path.Combine(root.FullName, "large"), "CT_small.dcm", 200, pixelSize: 512);
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

                    Report(name, associations, Figures.Median(ours), Figures.Median(theirsRuns));
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

                Console.WriteLine($"| {name} | {Figures.Median(ours):0} | {Figures.Median(theirs):0} | {Figures.Median(ours) / Figures.Median(theirs):0.00} |");
            }

            return 0;
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    private const int Repetitions = 3;


    private static void Report(string name, int associations, double ours, double theirs) =>
        Console.WriteLine($"| {name} | {associations} | {ours:0} | {theirs:0} | {ours / theirs:0.00} |");

    private static async Task<double> MeasureOurScpAsync(List<string> files, int associations, string root)
    {
        var output = Directory.CreateDirectory(Path.Combine(root, $"ours-{Guid.NewGuid():N}"));
        var handler = new FileWritingHandler(output.FullName);
        await using var server = new DicomServer(new DicomServerOptions { AETitle = "BENCH", BindAddress = IPAddress.Loopback, Port = 0 }, new HandlerSet(Store: handler));
        server.Start();
        var seconds = Peers.RunStorescu(files, associations, server.Port);
        output.Delete(recursive: true);
        return files.Count / seconds;
    }

    private static double MeasureStorescp(List<string> files, int associations, string root)
    {
        var output = Directory.CreateDirectory(Path.Combine(root, $"dcmtk-{Guid.NewGuid():N}"));
        var port = Peers.FreePort();
        using var storescp = Peers.StartProcess("storescp", ["--fork", "-aet", "BENCH", "-od", output.FullName, port.ToString(CultureInfo.InvariantCulture)]);
        Peers.WaitListening(port);
        var seconds = Peers.RunStorescu(files, associations, port);
        Peers.Kill(storescp);
        output.Delete(recursive: true);
        return files.Count / seconds;
    }

    private static async Task<double> MeasureOurScuAsync(List<string> files, string root)
    {
        var output = Directory.CreateDirectory(Path.Combine(root, $"scu-{Guid.NewGuid():N}"));
        var port = Peers.FreePort();
        using var storescp = Peers.StartProcess("storescp", ["-aet", "BENCH", "-od", output.FullName, port.ToString(CultureInfo.InvariantCulture)]);
        Peers.WaitListening(port);
        var watch = Stopwatch.StartNew();
        var client = new DicomClient(new DicomClientOptions("127.0.0.1", port, "OURSCU", "BENCH"));
        // The files are read as part of the work, one at a time, as storescu reads them.
        var statuses = await client.StoreAsync(files);
        var seconds = watch.Elapsed.TotalSeconds;
        Peers.Kill(storescp);
        output.Delete(recursive: true);
        if (statuses.Any(s => s != DimseStatus.Success))
            throw new InvalidOperationException("a store failed");
        return files.Count / seconds;
    }

    private static double MeasureStorescuToStorescp(List<string> files, string root)
    {
        var output = Directory.CreateDirectory(Path.Combine(root, $"scu2-{Guid.NewGuid():N}"));
        var port = Peers.FreePort();
        using var storescp = Peers.StartProcess("storescp", ["-aet", "BENCH", "-od", output.FullName, port.ToString(CultureInfo.InvariantCulture)]);
        Peers.WaitListening(port);
        var seconds = Peers.RunStorescu(files, 1, port);
        Peers.Kill(storescp);
        output.Delete(recursive: true);
        return files.Count / seconds;
    }

    /// <summary>Writes each received dataset as a Part-10 file: preamble, meta group, the bytes as received.</summary>
    private sealed class FileWritingHandler(string folder) : ICStoreHandler
    {
        public Task<ushort> StoreAsync(CStoreRequest request, CancellationToken cancellationToken)
        {
            var meta = new DicomDataset()
                .AddString(DicomTags.MediaStorageSOPClassUID, DicomVR.UI, request.SopClassUid)
                .AddString(DicomTags.MediaStorageSOPInstanceUID, DicomVR.UI, request.SopInstanceUid);
            // Synchronous writes, as storescp does (.NET emulates async file I/O with thread-pool work on Linux).
            using var file = new FileStream(Path.Combine(folder, request.SopInstanceUid + ".dcm"), FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024);
            DicomWriter.WriteFileHeader(file, meta, new DicomDataset(), request.DataSet.TransferSyntax);
            var length = (int)request.DataSet.Length;
            var bytes = ArrayPool<byte>.Shared.Rent(length); // as the archive builds a received file
            request.DataSet.CopyTo(bytes);
            file.Write(bytes, 0, length);
            ArrayPool<byte>.Shared.Return(bytes);
            return Task.FromResult(DimseStatus.Success);
        }
    }
}
