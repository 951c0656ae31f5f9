using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NUnit.Framework;

namespace DicomScript.Dicom.Tests.Support;

/// <summary>
/// Finds the real peers the tests compare against (dcmtk, pydicom, Orthanc). When one is missing the
/// test is ignored with the package to install, except under CI (CI=true), where it is a failure.
/// </summary>
public static class ExternalTools
{
    public static bool IsCI => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Full path of an executable on PATH (or an absolute path), or null.</summary>
    public static string? Find(string name)
    {
        if (Path.IsPathRooted(name))
            return File.Exists(name) ? name : null;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
                return candidate;
        }

        return null;
    }

    /// <summary>The tool's path; ignores (locally) or fails (CI) the test when it is not installed.</summary>
    public static string Require(string name, string debianPackage)
    {
        var path = Find(name);
        if (path is not null)
            return path;
        Missing($"'{name}' is not installed (apt-get install {debianPackage})");
        return null!;
    }

    /// <summary>Ignores (locally) or fails (CI) the test because something it needs is missing.</summary>
    public static void Missing(string what)
    {
        if (IsCI)
            Assert.Fail($"{what}; CI must have it");
        Assert.Ignore(what);
    }

    /// <summary>A TCP port free on loopback right now.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits until something accepts connections on the loopback port; false if not within the time (or once <paramref name="gaveUp"/> says so).</summary>
    public static bool WaitUntilListening(int port, TimeSpan timeout, Func<bool>? gaveUp = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && gaveUp?.Invoke() != true)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        return false;
    }

    /// <summary>Runs a program to completion with a time limit; returns exit code, stdout and stderr.</summary>
    public static (int ExitCode, string Output, string Error) Run(string fileName, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{fileName} did not finish in time");
        }

        return (process.ExitCode, output.Result, error.Result);
    }
}
