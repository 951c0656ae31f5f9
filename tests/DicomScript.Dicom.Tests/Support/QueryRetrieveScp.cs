using System.Globalization;
using NUnit.Framework;

namespace DicomScript.Dicom.Tests.Support;

/// <summary>
/// dcmtk's dcmqrscp on loopback (AE title QRSCP, any caller), holding corpus files sent to it with
/// storescu, and knowing <c>destinations</c> (name, AE title, port) for its C-MOVEs.
/// </summary>
public sealed class QueryRetrieveScp : IDisposable
{
    private readonly PeerProcess _process;

    private QueryRetrieveScp(PeerProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static async Task<QueryRetrieveScp> StartAsync(DirectoryInfo folder, IEnumerable<string> files, IEnumerable<(string Name, string Aet, int Port)> destinations)
    {
        var storage = Directory.CreateDirectory(Path.Combine(folder.FullName, "db"));
        var port = ExternalTools.FreeLoopbackPort();
        var hosts = string.Concat(destinations.Select(d => $"{d.Name} = ({d.Aet}, 127.0.0.1, {d.Port})\n"));
        var config = Path.Combine(folder.FullName, "dcmqrscp.cfg");
        await File.WriteAllTextAsync(config, $"""
            NetworkTCPPort  = {port}
            MaxPDUSize      = 16384
            MaxAssociations = 16
            HostTable BEGIN
            {hosts}HostTable END
            VendorTable BEGIN
            VendorTable END
            AETable BEGIN
            QRSCP {storage.FullName} RW (100, 1024mb) ANY
            AETable END
            """);
        var process = PeerProcess.Start("dcmqrscp", "dcmtk", ["-c", config], port);
        var stored = ExternalTools.Run(ExternalTools.Require("storescu", "dcmtk"),
            ["-aec", "QRSCP", "127.0.0.1", port.ToString(CultureInfo.InvariantCulture), .. files.Select(PydicomCorpus.FullPath)]);
        Assert.That(stored.ExitCode, Is.Zero, stored.Error);
        return new QueryRetrieveScp(process, port);
    }

    public void Dispose() => _process.Dispose();
}
