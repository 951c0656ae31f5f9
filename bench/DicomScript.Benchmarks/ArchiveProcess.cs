using System.Diagnostics;
using System.Text.Json.Nodes;

namespace DicomScript.Benchmarks;

/// <summary>Which server a benchmark process runs.</summary>
internal enum Kind
{
    Ours,
    OursSynced,
    Orthanc,
}

/// <summary>A server process (ours or the real Orthanc) on loopback with a fresh storage folder, deleted when disposed.</summary>
internal sealed class ArchiveProcess : IDisposable
{
    public const string Aet = "ARCHIVE";

    private readonly Process _process;
    private readonly string _folder;

    private ArchiveProcess(Process process, string folder, int dicomPort, int httpPort)
    {
        _process = process;
        _folder = folder;
        Port = dicomPort;
        HttpPort = httpPort;
    }

    /// <summary>The DICOM port.</summary>
    public int Port { get; }

    public int HttpPort { get; }

    /// <summary>Starts a server; <paramref name="extra"/> adds or overrides configuration keys (LuaScripts, DicomModalities...).</summary>
    public static ArchiveProcess Start(Kind kind, string root, JsonObject? extra = null)
    {
        var folder = Directory.CreateDirectory(Path.Combine(root, $"{kind}-{Guid.NewGuid():N}")).FullName;
        var (dicomPort, httpPort) = (Peers.FreePort(), Peers.FreePort());
        var config = new JsonObject
        {
            ["DicomAet"] = Aet,
            ["DicomPort"] = dicomPort,
#pragma warning disable CA1507 // an Orthanc configuration key, not this class's property
            ["HttpPort"] = httpPort,
#pragma warning restore CA1507
            ["StorageDirectory"] = Path.Combine(folder, "storage"),
            ["IndexDirectory"] = Path.Combine(folder, "storage"),
            ["DicomAlwaysAllowFind"] = true,
            ["Plugins"] = new JsonArray(),
            ["SyncStorageArea"] = kind == Kind.OursSynced,
        };
        foreach (var (key, value) in extra ?? [])
            config[key] = value?.DeepClone();
        var path = Path.Combine(folder, "orthanc.json");
        File.WriteAllText(path, config.ToJsonString());
        var process = kind == Kind.Orthanc
            ? Peers.StartProcess("/usr/sbin/Orthanc", [path])
            : Peers.StartProcess("dotnet", [Path.Combine(AppContext.BaseDirectory, "dicomscript.dll"), path]);
        Peers.WaitListening(dicomPort, 30);
        Peers.WaitListening(httpPort, 30);
        return new ArchiveProcess(process, folder, dicomPort, httpPort);
    }

    public double PeakRssMb() => Peers.PeakRssMb(_process);

    /// <summary>The server's user + system CPU time so far.</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    public void Dispose()
    {
        Peers.Kill(_process);
        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
