using System.Diagnostics;
using System.Text;

namespace DicomScript.Dicom.Tests.Support;

/// <summary>A dcmtk peer (storescp, dcmqrscp, movescu...) running in the background on loopback for one test.</summary>
public sealed class PeerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private PeerProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>What the process printed so far (for assertion messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts a tool and, when <paramref name="listenPort"/> is given, waits until it accepts connections.</summary>
    public static PeerProcess Start(string tool, string debianPackage, IEnumerable<string> arguments, int? listenPort = null, string? workingDirectory = null)
    {
        var path = ExternalTools.Require(tool, debianPackage);
        var start = new ProcessStartInfo(path)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        var peer = new PeerProcess(Process.Start(start)!);
        if (listenPort is { } port)
            peer.WaitUntilListening(port);
        return peer;
    }

    /// <summary>Waits for the process to end by itself.</summary>
    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    private void WaitUntilListening(int port)
    {
        if (!ExternalTools.WaitUntilListening(port, TimeSpan.FromSeconds(15), () => _process.HasExited))
            throw new InvalidOperationException($"{_process.StartInfo.FileName} is not listening on {port}: {Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }

    /// <summary>A TCP port free on loopback right now.</summary>
    public static int FreePort() => ExternalTools.FreeLoopbackPort();

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }
}
