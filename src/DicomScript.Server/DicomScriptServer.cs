using System.Net;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Dictionary;
using DicomScript.Network.Association;
using DicomScript.Network.Scp;
using DicomScript.Network.Scu;
using DicomScript.Server.Configuration;
using DicomScript.Server.Ingest;
using DicomScript.Server.Jobs;
using DicomScript.Server.Modification;
using DicomScript.Server.Remote;
using DicomScript.Server.Scripting;
using DicomScript.Server.Services;
using DicomScript.Storage.Files;
using DicomScript.Storage.Index;
using Microsoft.Extensions.Logging;

namespace DicomScript.Server;

/// <summary>
/// The archive, assembled from a configuration: storage area, index, ingest pipeline and the DICOM
/// listener. REST and the Lua engine attach to it (<see cref="Hooks"/>).
/// </summary>
public sealed partial class DicomScriptServer : IAsyncDisposable
{
    private const string CleanShutdownMarker = "clean-shutdown";

    private readonly DicomServer? _dicom;
    private readonly StableResourcesMonitor _stableMonitor;
    private readonly ILogger _logger;
    private bool _stopped;

    private DicomScriptServer(OrthancConfiguration configuration, StorageArea storage, SqliteIndex index, IngestPipeline ingest, DicomServer? dicom,
        ScriptHooks hooks, ILoggerFactory loggerFactory, ILogger logger)
    {
        Hooks = hooks;
        Configuration = configuration;
        Storage = storage;
        Index = index;
        Ingest = ingest;
        _dicom = dicom;
        _logger = logger;
        _stableMonitor = new StableResourcesMonitor(index, TimeSpan.FromSeconds(configuration.StableAge), logger);
        Queries = new QueryArchive(configuration.QueryRetrieveSize);
        Jobs = new JobsEngine(configuration.SaveJobs ? index : null, configuration.JobsHistorySize, configuration.ConcurrentJobs,
            loggerFactory.CreateLogger("DicomScript.Jobs"));
        Modifier = new InstanceModifier(this, loggerFactory.CreateLogger("DicomScript.Modification"));
        Associations = new ModalityAssociations(this, TimeSpan.FromSeconds(configuration.DicomAssociationCloseDelay));
    }

    public OrthancConfiguration Configuration { get; }

    public StorageArea Storage { get; }

    public SqliteIndex Index { get; }

    public IngestPipeline Ingest { get; }

    /// <summary>The results of /modalities/{name}/query, for /queries.</summary>
    public QueryArchive Queries { get; }

    /// <summary>Store, modify and routing jobs (ConcurrentJobs workers, saved when SaveJobs).</summary>
    public JobsEngine Jobs { get; }

    /// <summary>Modifies and anonymizes stored instances.</summary>
    public InstanceModifier Modifier { get; }

    /// <summary>Associations to modalities kept open between the C-STOREs of Lua routing (DicomAssociationCloseDelay).</summary>
    public ModalityAssociations Associations { get; }

    /// <summary>The DICOM port listened on (the chosen one when the configuration said 0).</summary>
    public int DicomPort => _dicom?.Port ?? 0;

    /// <summary>
    /// Opens storage and index (cleaning up after a crash: temporary files, and files no index row
    /// references) and prepares the DICOM listener. <paramref name="bindAddress"/> defaults to all
    /// interfaces, as Orthanc listens.
    /// </summary>
    public static DicomScriptServer Create(OrthancConfiguration configuration, ILoggerFactory loggerFactory, IPAddress? bindAddress = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var logger = loggerFactory.CreateLogger("DicomScript");
        // Before anything reads a file: the declared tags give implicit-VR data its VR.
        DicomDictionary.Declare(configuration.Dictionary);
        var storage = new StorageArea(configuration.StorageDirectory, configuration.StorageCompression, configuration.SyncStorageArea);
        var index = SqliteIndex.Open(configuration.IndexDirectory, configuration.SyncStorageArea);
        RecoverAfterCrash(storage, index, configuration.IndexDirectory, logger);
        UseSavedRemotes(configuration, index);
        // A limit lowered since the last run applies at once, as in Orthanc.
        foreach (var uuid in index.Recycle(configuration.StorageLimits))
            storage.Remove(uuid);

        var hooks = new ScriptHooks();
        var ingest = new IngestPipeline(storage, index, configuration, hooks, loggerFactory.CreateLogger("DicomScript.Ingest"));
        var services = new DicomServices(ingest, loggerFactory.CreateLogger("DicomScript.Dicom"));
        DicomServer? dicom = null;
        RetrieveService? retrieve = null;
        if (configuration.DicomServerEnabled)
        {
            var options = new DicomServerOptions
            {
                AETitle = configuration.DicomAet,
                Port = configuration.DicomPort,
                BindAddress = bindAddress ?? IPAddress.Any,
                CheckCalledAETitle = configuration.DicomCheckCalledAet,
                AcceptUnknownSopClasses = configuration.UnknownSopClassAccepted,
                Association = new AssociationOptions { IdleTimeout = TimeSpan.FromSeconds(configuration.DicomScpTimeout) },
            };
            retrieve = new RetrieveService(index, storage, configuration, hooks);
            var handlers = new HandlerSet(Echo: services, Store: services, Find: new FindService(index, storage, configuration, hooks), Move: retrieve, Get: retrieve,
                Policy: new ModalityPolicy(configuration));
            dicom = new DicomServer(options, handlers, loggerFactory.CreateLogger("DicomScript.Network"));
        }

        var server = new DicomScriptServer(configuration, storage, index, ingest, dicom, hooks, loggerFactory, logger);
        retrieve?.SubmitMoveJob = server.SubmitMoveJob;
        return server;
    }

    // An incoming C-MOVE as a job (SynchronousCMove false), as Orthanc makes it: not permissive,
    // described "C-MOVE", sent from our DicomAet with the move originator.
    private void SubmitMoveJob(DicomModality modality, IReadOnlyList<string> instances, string originatorAet, ushort originatorId)
    {
        var target = new StoreJobTarget(modality, Configuration.DicomAet) { MoveOriginatorAet = originatorAet, MoveOriginatorId = originatorId };
        Jobs.Submit(new DicomModalityStoreJob(this, target, instances, [], permissive: false, "C-MOVE"));
    }

    // After a clean stop a marker says so; without it (killed), remove what a crash can leave behind:
    // temporary files, and files written but never committed to the index.
    private static void RecoverAfterCrash(StorageArea storage, SqliteIndex index, string indexFolder, ILogger logger)
    {
        var marker = Path.Combine(indexFolder, CleanShutdownMarker);
        var temporaries = storage.RemoveLeftoverTemporaryFiles();
        if (File.Exists(marker))
        {
            File.Delete(marker);
            return;
        }

        var orphans = 0;
        foreach (var uuid in storage.AllUuids().ToList())
        {
            if (!index.HasAttachment(uuid))
            {
                storage.Remove(uuid);
                orphans++;
            }
        }

        if (temporaries + orphans > 0)
            LogRecovered(logger, temporaries, orphans);
    }

    /// <summary>
    /// Deletes a resource, everything below it and the ancestors it leaves empty; the files go only
    /// after the index commit, so a crash in between leaves unreferenced files (removed at the next
    /// start), never a row without its file. Null when the resource is unknown.
    /// </summary>
    public DeleteOutcome? Delete(string publicId)
    {
        var outcome = Index.Delete(publicId);
        if (outcome is null)
            return null;
        foreach (var uuid in outcome.FileUuids)
            Storage.Remove(uuid);
        LogDeleted(_logger, publicId, outcome.FileUuids.Count);
        return outcome;
    }

    /// <summary>
    /// The dataset of a stored instance; null when the instance or its file is gone (deleted
    /// meanwhile) or the file no longer parses (damaged on disk): a search then skips the instance.
    /// </summary>
    public DicomDataset? ReadDataset(string instanceId) => ReadFile(instanceId)?.Dataset;

    /// <summary>The DICOM file of a stored instance; null as for <see cref="ReadDataset"/>.</summary>
    public DicomFile? ReadFile(string instanceId) => ReadFileToSend(instanceId)?.File;

    /// <summary>
    /// A stored instance's file with its dataset's bytes as stored, to send with C-STORE as it is;
    /// null as for <see cref="ReadDataset"/>.
    /// </summary>
    public FileToSend? ReadFileToSend(string instanceId)
    {
        try
        {
            // A file the ingest has just parsed is taken as it is (see RecentlyStoredFiles).
            if (Index.GetDicomFile(instanceId) is not { } file)
                return null;
            return Ingest.RecentlyStored.Take(file.Uuid) ?? FileToSend.Parse(Storage.Read(file.Uuid));
        }
        catch (Exception ex) when (ex is IOException or DicomFormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// The stored bytes of an instance's DICOM file; null when the resource has none (unknown, or not
    /// an instance). A file missing from the storage area is an <see cref="IOException"/>.
    /// </summary>
    public byte[]? ReadFileBytes(string instanceId) => Index.GetDicomFile(instanceId) is { } file ? Storage.Read(file.Uuid) : null;

    /// <summary>
    /// A client for one of the DicomModalities: the modality's LocalAet calling when it has one, else
    /// <paramref name="callingAet"/>, else our DicomAet; the modality's timeout unless
    /// <paramref name="timeoutSeconds"/> says otherwise, else DicomScuTimeout.
    /// </summary>
    public DicomClient ClientFor(DicomModality modality, int? timeoutSeconds = null, string? callingAet = null)
    {
        ArgumentNullException.ThrowIfNull(modality);
        var seconds = timeoutSeconds is > 0 ? timeoutSeconds.Value : modality.Timeout > 0 ? modality.Timeout : Configuration.DicomScuTimeout;
        var timeout = TimeSpan.FromSeconds(seconds);
        var calling = !string.IsNullOrEmpty(modality.LocalAet) ? modality.LocalAet
            : !string.IsNullOrEmpty(callingAet) ? callingAet
            : Configuration.DicomAet;
        return new DicomClient(new DicomClientOptions(modality.Host, modality.Port, calling, modality.AET)
        {
            ResponseTimeout = timeout,
            Association = new AssociationOptions { ArtimTimeout = timeout, IdleTimeout = timeout },
        });
    }

    /// <summary>Marks resources stable (see <see cref="StableResourcesMonitor"/>).</summary>
    public StableResourcesMonitor StableMonitor => _stableMonitor;

    /// <summary>Where the Lua engine plugs in (filters, execute-script); empty without scripts.</summary>
    public ScriptHooks Hooks { get; }

    public void Start()
    {
        _stableMonitor.Start();
        Jobs.Start(saved => JobFactory.Create(this, saved));
        _dicom?.Start();
        LogStarted(_logger, Configuration.DicomAet, DicomPort, Storage.Root);
    }

    public async Task StopAsync()
    {
        if (_stopped)
            return;
        _stopped = true;
        if (_dicom is not null)
            await _dicom.StopAsync().ConfigureAwait(false);
        await _stableMonitor.DisposeAsync().ConfigureAwait(false);
        await Jobs.DisposeAsync().ConfigureAwait(false);
        await Associations.DisposeAsync().ConfigureAwait(false);
        Index.Dispose();
        await File.WriteAllTextAsync(Path.Combine(Configuration.IndexDirectory, CleanShutdownMarker), SqliteIndex.Now()).ConfigureAwait(false);
        LogStopped(_logger);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        if (_dicom is not null)
            await _dicom.DisposeAsync().ConfigureAwait(false);
    }

    [LoggerMessage(2200, LogLevel.Information, "DICOM server: AET {Aet}, port {Port}; storage {Storage}")]
    private static partial void LogStarted(ILogger logger, string aet, int port, string storage);

    [LoggerMessage(2201, LogLevel.Information, "Stopped")]
    private static partial void LogStopped(ILogger logger);

    // Debug (shown with --verbose), as Orthanc shows it only with --verbose: a routing script
    // deletes every instance it forwards, a line each otherwise.
    [LoggerMessage(2203, LogLevel.Debug, "Deleted {PublicId} ({Files} files)")]
    private static partial void LogDeleted(ILogger logger, string publicId, int files);

    [LoggerMessage(2202, LogLevel.Warning, "Recovered after an unclean stop: removed {Temporaries} temporary and {Orphans} unreferenced files")]
    private static partial void LogRecovered(ILogger logger, int temporaries, int orphans);
}
