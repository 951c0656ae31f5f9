using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace DicomScript.Benchmarks;

/// <summary>dcmtk and server processes for the benchmarks, all on loopback.</summary>
internal static class Peers
{
    // storescu over 'associations' parallel processes, each sending its share of the files.
    public static double RunStorescu(List<string> files, int associations, int port, string calledAet = "BENCH")
    {
        var shares = Enumerable.Range(0, associations).Select(a => files.Where((_, i) => i % associations == a).ToList()).ToList();
        var watch = Stopwatch.StartNew();
        var processes = shares.Select(share => StartProcess("storescu",
            ["-aet", "BENCHSCU", "-aec", calledAet, "127.0.0.1", port.ToString(CultureInfo.InvariantCulture), .. share])).ToList();
        foreach (var process in processes)
        {
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"storescu failed with exit code {process.ExitCode}");
            process.Dispose();
        }

        return watch.Elapsed.TotalSeconds;
    }

    public static Process StartProcess(string tool, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(tool) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        // dcmtk (and Orthanc, built on it) leave Nagle on unless told: with delayed ACKs that costs ~40 ms per message.
        start.Environment["TCP_NODELAY"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {tool}");
        // Read and dropped, so a chatty process never blocks on a full pipe.
        process.ErrorDataReceived += (_, _) => { };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return process;
    }

    public static void Kill(Process process)
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static void WaitListening(int port, int seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
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

        throw new InvalidOperationException($"nothing listens on {port}");
    }

    /// <summary>Peak resident memory of a running process (VmHWM), in MB.</summary>
    public static double PeakRssMb(Process process)
    {
        foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        }

        return double.NaN;
    }
}
