using DicomScript.Dicom.IO;
using DicomScript.Network.Scu;
using DicomScript.Server.Configuration;
using DicomScript.Server.Scripting;
using DicomScript.Storage.Files;
using DicomScript.Storage.Identifiers;
using DicomScript.Storage.Index;
using Microsoft.Extensions.Logging;

namespace DicomScript.Server.Ingest;

/// <summary>
/// Ingest for C-STORE and POST /instances: parse, filter, write the file (atomically), commit the
/// index transaction, and only then report success. An instance acknowledged is therefore durable
/// (file renamed into place, WAL transaction committed); a crash before that leaves at most an
/// unreferenced file, never an index row without its file.
/// </summary>
public sealed partial class IngestPipeline
{
    private readonly StorageArea _storage;
    private readonly SqliteIndex _index;
    private readonly OrthancConfiguration _configuration;
    private readonly ScriptHooks _hooks;
    private readonly ILogger _logger;

    public IngestPipeline(StorageArea storage, SqliteIndex index, OrthancConfiguration configuration, ScriptHooks hooks, ILogger logger)
    {
        _storage = storage;
        _index = index;
        _configuration = configuration;
        _hooks = hooks;
        _logger = logger;
    }

    /// <summary>The files just stored, parsed, for the Lua engine's next reads.</summary>
    public RecentlyStoredFiles RecentlyStored { get; } = new();

    /// <summary>
    /// Ingests a complete Part-10 file. Throws <see cref="DicomFormatException"/> for bytes that are not
    /// DICOM and <see cref="MissingIdentifierException"/> for a dataset Orthanc could not file either.
    /// </summary>
    public Task<IngestResult> IngestAsync(ReadOnlyMemory<byte> fileBytes, InstanceOrigin origin, CancellationToken cancellationToken) =>
        IngestAsync(fileBytes, origin, null, cancellationToken);

    /// <summary>Ingests as above a file in a pooled array, which it keeps from going back to the pool when it keeps the file.</summary>
    public async Task<IngestResult> IngestAsync(PooledFileBytes file, InstanceOrigin origin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        var result = await IngestAsync(file.Memory, origin, null, cancellationToken).ConfigureAwait(false);
        if (result.FileBytesKept)
            file.Keep();
        return result;
    }

    /// <summary>
    /// Ingests as above, setting <paramref name="levelMetadata"/> on the instance and its parents
    /// (a modified instance's ModifiedFrom/AnonymizedFrom), whether or not they are new.
    /// </summary>
    public async Task<IngestResult> IngestAsync(ReadOnlyMemory<byte> fileBytes, InstanceOrigin origin,
        IReadOnlyDictionary<ResourceLevel, IReadOnlyDictionary<int, string>>? levelMetadata, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(origin);
        var file = DicomFile.Parse(fileBytes);
        var identifiers = OrthancIdentifiers.FromDataset(file.Dataset);
        if (_hooks.ReceivedInstanceFilter is { } filter)
        {
            var decision = await filter.FilterAsync(file, origin, cancellationToken).ConfigureAwait(false);
            if (!decision.Accept)
            {
                LogFilteredOut(_logger, identifiers.InstanceHash, origin.RequestOrigin);
                return new IngestResult(IngestStatus.FilteredOut, identifiers, decision.RejectStatus);
            }
        }

        var stored = _storage.Write(fileBytes.Span);
        StoreOutcome outcome;
        try
        {
            outcome = _index.Store(InstanceToIndex.Create(file.Dataset, stored, StoreTimeMetadata.OfInstance(file, origin)) with
                {
                    SeriesMetadata = StoreTimeMetadata.OfNewSeries(file.Dataset, origin),
                    ExpectedInstances = StoreTimeMetadata.ExpectedNumberOfInstances(file.Dataset),
                    LevelMetadata = levelMetadata ?? InstanceToIndex.NoLevelMetadata,
                },
                overwrite: _configuration.OverwriteInstances != OverwriteMode.Never, _configuration.StorageLimits);
        }
        catch
        {
            _storage.Remove(stored.Uuid);
            throw;
        }

        // Files are removed only after the commit that stops referencing them.
        if (outcome.Status == StoreStatus.AlreadyStored)
            _storage.Remove(stored.Uuid);
        foreach (var uuid in outcome.ReplacedFileUuids.Concat(outcome.RecycledFileUuids))
            _storage.Remove(uuid);
        if (outcome.RecycledFileUuids.Count > 0)
            LogRecycled(_logger, outcome.RecycledFileUuids.Count, outcome.InstanceId);
        var kept = outcome.Status == StoreStatus.Success && RecentlyStored.Add(stored.Uuid, FileToSend.Of(file, fileBytes), fileBytes.Length);
        LogStored(_logger, outcome.InstanceId, outcome.Status.ToString(), origin.RemoteAet ?? origin.RequestOrigin);
        return new IngestResult(outcome.Status == StoreStatus.Success ? IngestStatus.Success : IngestStatus.AlreadyStored, identifiers)
        {
            FileBytesKept = kept,
        };
    }

    [LoggerMessage(2002, LogLevel.Information, "Recycled the oldest patients ({Files} files) to make room for {InstanceId}")]
    private static partial void LogRecycled(ILogger logger, int files, string instanceId);

    // Debug, as Orthanc logs stored instances only when verbose: at a thousand instances a second
    // an Information line each would flood the log and cost a tenth of the ingest time.
    [LoggerMessage(2000, LogLevel.Debug, "Instance {InstanceId} from {From}: {Status}")]
    private static partial void LogStored(ILogger logger, string instanceId, string status, string from);

    [LoggerMessage(2001, LogLevel.Information, "Instance {InstanceId} ({Origin}) filtered out")]
    private static partial void LogFilteredOut(ILogger logger, string instanceId, string origin);
}
