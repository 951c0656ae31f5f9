using System.Buffers;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using DicomScript.Network.Dimse;
using DicomScript.Network.Scp;
using DicomScript.Server.Ingest;
using DicomScript.Server.Scripting;
using DicomScript.Storage.Identifiers;
using DicomScript.Storage.Index;
using Microsoft.Extensions.Logging;

namespace DicomScript.Server.Services;

/// <summary>The DICOM services on the archive: C-ECHO and C-STORE (into the ingest pipeline).</summary>
public sealed partial class DicomServices : ICEchoHandler, ICStoreHandler
{
    // Files up to this size are built in pooled arrays (see PartTenFileOf).
    private const int PooledFileLimit = 16 << 20;

    private readonly IngestPipeline _ingest;
    private readonly ILogger _logger;

    public DicomServices(IngestPipeline ingest, ILogger logger)
    {
        _ingest = ingest;
        _logger = logger;
    }

    public Task<ushort> EchoAsync(AssociationInfo caller, CancellationToken cancellationToken) => Task.FromResult(DimseStatus.Success);

    /// <summary>
    /// Writes the received dataset as a Part-10 file (our meta group + the bytes as received) and
    /// ingests it; the response goes out only after the index commit.
    /// </summary>
    public async Task<ushort> StoreAsync(CStoreRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (bytes, length, pooled) = PartTenFileOf(request);
        var file = bytes.AsMemory(0, length);
        var kept = false;
        try
        {
            var origin = InstanceOrigin.Dicom(request.Caller.RemoteHost, request.Caller.CallingAETitle, request.Caller.CalledAETitle);
            var result = await _ingest.IngestAsync(file, origin, cancellationToken).ConfigureAwait(false);
            kept = result.FileBytesKept;
            return result.Status == IngestStatus.FilteredOut ? result.RejectStatus : DimseStatus.Success;
        }
        catch (Exception ex) when (ex is DicomFormatException or MissingIdentifierException)
        {
            // Orthanc cannot file such an instance either: refuse it, store nothing.
            LogRefused(_logger, request.SopInstanceUid, request.Caller.CallingAETitle, ex.Message);
            return DimseStatus.UnableToProcess;
        }
        catch (StorageFullException ex)
        {
            LogRefused(_logger, request.SopInstanceUid, request.Caller.CallingAETitle, ex.Message);
            return DimseStatus.OutOfResources;
        }
        catch (ScriptException ex)
        {
            // A receive filter failed: refused as Orthanc refuses it (0xA700), nothing stored.
            LogRefused(_logger, request.SopInstanceUid, request.Caller.CallingAETitle, ex.Message);
            return DimseStatus.OutOfResources;
        }
        finally
        {
            if (pooled && !kept)
                ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    // The file in one array: from the shared pool up to PooledFileLimit, so that a stream of CTs does
    // not allocate a large object each (the runtime zeroes it and counts it towards a full
    // collection: a third of the server's CPU per 512×512 CT, bench/README.md "Archive"); a new
    // array for larger ones, which a pool would hold on to.
    private static (byte[] Bytes, int Length, bool Pooled) PartTenFileOf(CStoreRequest request)
    {
        using var header = new MemoryStream(512);
        var meta = new DicomDataset()
            .AddString(DicomTags.MediaStorageSOPClassUID, DicomVR.UI, request.SopClassUid)
            .AddString(DicomTags.MediaStorageSOPInstanceUID, DicomVR.UI, request.SopInstanceUid)
            .AddString(DicomTags.SourceApplicationEntityTitle, DicomVR.AE, request.Caller.CallingAETitle);
        DicomWriter.WriteFileHeader(header, meta, new DicomDataset(), request.DataSet.TransferSyntax);
        var length = checked((int)(header.Length + request.DataSet.Length));
        var pooled = length <= PooledFileLimit;
        var bytes = pooled ? ArrayPool<byte>.Shared.Rent(length) : GC.AllocateUninitializedArray<byte>(length);
        header.GetBuffer().AsSpan(0, (int)header.Length).CopyTo(bytes);
        request.DataSet.CopyTo(bytes.AsSpan((int)header.Length));
        return (bytes, length, pooled);
    }

    [LoggerMessage(2100, LogLevel.Warning, "C-STORE of {SopInstanceUid} from {Calling} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string sopInstanceUid, string calling, string reason);
}
