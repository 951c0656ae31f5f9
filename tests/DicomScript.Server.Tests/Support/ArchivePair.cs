using System.Net;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Server.Configuration;
using DicomScript.Server.Ingest;
using Microsoft.Extensions.Logging.Abstractions;

namespace DicomScript.Server.Tests.Support;

/// <summary>The real Orthanc and our archive, both AET "ORTHANC" open to C-FIND, with the same extra settings.</summary>
internal sealed class ArchivePair : IAsyncDisposable
{
    private readonly DirectoryInfo _folder;

    private ArchivePair(OrthancServer orthanc, int orthancDicomPort, DicomScriptServer ours, DirectoryInfo folder)
    {
        Orthanc = orthanc;
        OrthancDicomPort = orthancDicomPort;
        Ours = ours;
        _folder = folder;
    }

    public OrthancServer Orthanc { get; }

    public int OrthancDicomPort { get; }

    public DicomScriptServer Ours { get; }

    public static ArchivePair Start(JsonObject settings)
    {
        var port = ExternalTools.FreeLoopbackPort();
        var common = new JsonObject { ["DicomAet"] = "ORTHANC", ["DicomAlwaysAllowFind"] = true };
        foreach (var (key, value) in settings)
            common[key] = value?.DeepClone();

        var orthancSettings = (JsonObject)common.DeepClone();
        orthancSettings["DicomServerEnabled"] = true;
        orthancSettings["DicomPort"] = port;
        var orthanc = OrthancServer.Start(orthancSettings);

        var folder = Directory.CreateTempSubdirectory("find-");
        var ourSettings = (JsonObject)common.DeepClone();
        ourSettings["DicomPort"] = 0;
        ourSettings["StorageDirectory"] = "storage";
        var config = Path.Combine(folder.FullName, "orthanc.json");
        File.WriteAllText(config, ourSettings.ToJsonString());
        var ours = DicomScriptServer.Create(ConfigurationLoader.Load(config), NullLoggerFactory.Instance, bindAddress: IPAddress.Loopback);
        ours.Start();
        ExternalTools.WaitUntilListening(port, TimeSpan.FromSeconds(10));
        return new ArchivePair(orthanc, port, ours, folder);
    }

    /// <summary>Stores each corpus file in both (what Orthanc refuses, in neither); how many were stored.</summary>
    public async Task<int> StoreAsync(IEnumerable<string> files)
    {
        var stored = 0;
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(PydicomCorpus.FullPath(file));
            if (Orthanc.Upload(bytes).Id is null)
                continue;
            await Ours.Ingest.IngestAsync(bytes, InstanceOrigin.Lua, CancellationToken.None);
            stored++;
        }

        return stored;
    }

    public async ValueTask DisposeAsync()
    {
        await Ours.DisposeAsync();
        Orthanc.Dispose();
        _folder.Delete(recursive: true);
    }
}
