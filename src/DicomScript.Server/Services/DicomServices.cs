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
        using var file = PartTenFileOf(request);
        try
        {
            var origin = InstanceOrigin.Dicom(request.Caller.RemoteHost, request.Caller.CallingAETitle, request.Caller.CalledAETitle);
            var result = await _ingest.IngestAsync(file, origin, cancellationToken).ConfigureAwait(false);
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
    }

    private static PooledFileBytes PartTenFileOf(CStoreRequest request)
    {
        using var header = new MemoryStream(512);
        var meta = new DicomDataset()
            .AddString(DicomTags.MediaStorageSOPClassUID, DicomVR.UI, request.SopClassUid)
            .AddString(DicomTags.MediaStorageSOPInstanceUID, DicomVR.UI, request.SopInstanceUid)
            .AddString(DicomTags.SourceApplicationEntityTitle, DicomVR.AE, request.Caller.CallingAETitle);
        DicomWriter.WriteFileHeader(header, meta, new DicomDataset(), request.DataSet.TransferSyntax);
        var file = new PooledFileBytes(checked((int)(header.Length + request.DataSet.Length)));
        header.GetBuffer().AsSpan(0, (int)header.Length).CopyTo(file.Span);
        request.DataSet.CopyTo(file.Span[(int)header.Length..]);
        return file;
    }

    [LoggerMessage(2100, LogLevel.Warning, "C-STORE of {SopInstanceUid} from {Calling} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string sopInstanceUid, string calling, string reason);
}
