using System.IO.Compression;
using System.Text.Json.Nodes;
using DicomScript.Server;
using DicomScript.Server.Ingest;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DicomScript.Rest.Routes;

/// <summary>
/// <c>POST /instances</c> with a ZIP archive (Orthanc 1.8.2 and later): every file in it is stored
/// in the archive's order and the answer lists each one's upload answer. As in Orthanc, a file that
/// is not DICOM, or lacks an identifying UID (a DICOMDIR), is logged and skipped; any other error
/// (storage full, a receive filter failing) ends the request with that error, what was stored
/// before it staying stored.
/// </summary>
internal static partial class ZipUpload
{
    /// <summary>
    /// Whether the body starts with a ZIP local file header, as Orthanc tells an archive (an empty
    /// archive, which has none, is then refused as a file that is not DICOM).
    /// </summary>
    public static bool IsZip(ReadOnlySpan<byte> body) => body.StartsWith("PK\u0003\u0004"u8);

    public static async Task<IResult> StoreAllAsync(HttpContext context, DicomScriptServer archive, PooledFileBytes body, ILogger logger)
    {
        var answers = new JsonArray();
        try
        {
            using var zip = new ZipArchive(body.AsStream(), ZipArchiveMode.Read);
            foreach (var entry in zip.Entries)
            {
                if (entry.Length == 0)
                    continue; // a folder, or an empty file
                if (entry.Length > Array.MaxLength)
                    throw new InvalidDataException($"{entry.FullName} is too large ({entry.Length} bytes)");
                using var file = new PooledFileBytes((int)entry.Length);
                await using (var stream = await entry.OpenAsync(context.RequestAborted).ConfigureAwait(false))
                {
                    try
                    {
                        await stream.ReadExactlyAsync(file.Memory, context.RequestAborted).ConfigureAwait(false);
                    }
                    catch (EndOfStreamException)
                    {
                        throw new InvalidDataException($"{entry.FullName} is shorter than its {entry.Length} bytes");
                    }
                }

                try
                {
                    answers.Add(await InstanceRoutes.StoreAsync(context, archive, file).ConfigureAwait(false));
                }
                catch (RestRequestException ex) when (ex.Error is OrthancError.BadFileFormat or OrthancError.InexistentTag)
                {
                    LogSkipped(logger, entry.FullName, ex.Message);
                }
            }
        }
        catch (InvalidDataException ex)
        {
            return OrthancResponses.Error(context, OrthancError.BadFileFormat, $"The ZIP archive cannot be read: {ex.Message}");
        }
        catch (RestRequestException ex)
        {
            return ex.Answer(context);
        }

        return OrthancResponses.Json(answers);
    }

    [LoggerMessage(3100, LogLevel.Error, "Skipping {File} of the uploaded ZIP archive: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string file, string reason);
}
