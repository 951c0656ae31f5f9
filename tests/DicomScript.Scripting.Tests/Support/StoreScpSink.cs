using System.Globalization;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Tests.Support;

namespace DicomScript.Scripting.Tests.Support;

/// <summary>
/// dcmtk's storescp (verbose) on a free loopback port, writing what it receives, bit for bit, into a
/// folder of its own; it answers any called AE title. Created stopped when a test starts it later (a modality
/// that comes back).
/// </summary>
internal sealed class StoreScpSink : IDisposable
{
    private static readonly TimeSpan StillBeingWritten = TimeSpan.FromSeconds(5);

    private PeerProcess? _process;

    public StoreScpSink(bool start = true)
    {
        Folder = Directory.CreateTempSubdirectory("sink-");
        Port = PeerProcess.FreePort();
        if (start)
            Start();
    }

    public int Port { get; }

    public DirectoryInfo Folder { get; }

    /// <summary>What storescp has printed so far (associations, releases).</summary>
    public string Output => _process?.Output ?? "";

    public void Start() =>
        _process = PeerProcess.Start("storescp", "dcmtk", ["-v", "+B", "-od", Folder.FullName, Port.ToString(CultureInfo.InvariantCulture)], Port);

    /// <summary>
    /// The files received so far. storescp writes each file in place, so a poll can catch one half
    /// written (seen in CI): a file that does not parse is left out while it is young, and fails the
    /// test once it has had time to be finished.
    /// </summary>
    public List<DicomFile> Received()
    {
        var received = new List<DicomFile>();
        foreach (var file in Folder.GetFiles())
        {
            try
            {
                received.Add(DicomFile.Open(file.FullName));
            }
            catch (DicomFormatException) when (DateTime.UtcNow - file.LastWriteTimeUtc < StillBeingWritten)
            {
                // the next poll looks again
            }
        }

        return received;
    }

    public void Dispose()
    {
        _process?.Dispose();
        Folder.Delete(recursive: true);
    }
}
