using System.IO.Compression;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Json;
using DicomScript.Server;
using DicomScript.Server.Ingest;
using DicomScript.Server.Scripting;
using DicomScript.Storage.Identifiers;
using DicomScript.Storage.Index;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace DicomScript.Rest.Routes;

/// <summary>
/// <c>POST /instances</c> (upload), an instance's <c>/tags</c> (<c>?simplify</c>, <c>?short</c>),
/// <c>/simplified-tags</c> and <c>/file</c>, and the tags all instances of a patient, study or
/// series share (<c>/shared-tags</c>).
/// </summary>
internal static class InstanceRoutes
{
    public static void Map(IEndpointRouteBuilder routes, DicomScriptServer archive, ILogger logger)
    {
        routes.MapPost("/instances", (Func<HttpContext, Task<IResult>>)(context => UploadAsync(context, archive, logger)));
        routes.MapGet("/instances/{id}/tags", (HttpContext context, string id) =>
            Tags(context, archive, id, ResourceJson.FormatOf(context.Request.Query, OrthancTagFormat.Full)));
        routes.MapGet("/instances/{id}/simplified-tags", (HttpContext context, string id) => Tags(context, archive, id, OrthancTagFormat.Simplified));
        routes.MapGet("/instances/{id}/file", (HttpContext context, string id) => File(context, archive, id));
        foreach (var level in new[] { ResourceLevel.Patient, ResourceLevel.Study, ResourceLevel.Series })
            routes.MapGet($"/{ResourceLevels.PluralOf(level)}/{{id}}/shared-tags", (HttpContext context, string id) => SharedTags(context, archive, id));
    }

    /// <summary>
    /// The stored file; as Orthanc, its DICOM JSON model (PS3.18 Annex F) when the request accepts
    /// exactly <c>application/dicom+json</c>, as a DICOMweb client asks.
    /// </summary>
    private static IResult File(HttpContext context, DicomScriptServer archive, string id)
    {
        if (archive.ReadFileBytes(id) is not { } bytes)
            return OrthancResponses.Error(context, OrthancError.UnknownResource);
        if (context.Request.Headers.Accept.ToString() != DicomJsonMediaType)
            return Results.Bytes(bytes, "application/dicom");
        try
        {
            return Results.Text(DicomJsonModelWriter.ToJson(DicomFile.Parse(bytes).Dataset), DicomJsonMediaType);
        }
        catch (DicomFormatException ex)
        {
            return OrthancResponses.Error(context, OrthancError.BadFileFormat, ex.Message);
        }
    }

    private const string DicomJsonMediaType = "application/dicom+json";

    /// <summary>
    /// Stores the body (a DICOM file). 200 with <c>{ID, ParentPatient, ParentStudy, ParentSeries, Path,
    /// Status}</c> once file and index are committed, Status being Success, AlreadyStored or
    /// FilteredOut; 400 for a body that is not DICOM or lacks an identifying UID. A body with
    /// <c>Content-Encoding: gzip</c> is decompressed first. A ZIP archive stores each file in it
    /// (see <see cref="ZipUpload"/>).
    /// </summary>
    private static async Task<IResult> UploadAsync(HttpContext context, DicomScriptServer archive, ILogger logger)
    {
        PooledFileBytes body;
        try
        {
            body = await ReadBodyAsync(context).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            return OrthancResponses.Error(context, OrthancError.BadFileFormat, $"The gzip-encoded body cannot be decompressed: {ex.Message}");
        }

        using (body)
        {
            if (ZipUpload.IsZip(body.Span))
                return await ZipUpload.StoreAllAsync(context, archive, body, logger).ConfigureAwait(false);
            try
            {
                return OrthancResponses.Json(await StoreAsync(context, archive, body).ConfigureAwait(false));
            }
            catch (RestRequestException ex)
            {
                return ex.Answer(context);
            }
        }
    }

    // A body of announced length is read straight into a pooled array (see PooledFileBytes); one
    // gzip-compressed (Orthanc peers and ours send files so with "Compress": true) or chunked grows
    // in a stream first.
    private static async Task<PooledFileBytes> ReadBodyAsync(HttpContext context)
    {
        var gzipped = string.Equals(context.Request.Headers.ContentEncoding, "gzip", StringComparison.OrdinalIgnoreCase);
        if (!gzipped && context.Request.ContentLength is { } length && length <= Array.MaxLength)
        {
            var body = new PooledFileBytes((int)length);
            await context.Request.Body.ReadExactlyAsync(body.Memory, context.RequestAborted).ConfigureAwait(false);
            return body;
        }

        using var buffer = new MemoryStream();
        var gzip = gzipped ? new GZipStream(context.Request.Body, CompressionMode.Decompress, leaveOpen: true) : null;
        await using (gzip)
            await (gzip ?? context.Request.Body).CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        return PooledFileBytes.Wrap(buffer.GetBuffer(), (int)buffer.Length);
    }

    /// <summary>Stores one DICOM file: Orthanc's answer for it, or a <see cref="RestRequestException"/> with its error.</summary>
    internal static async Task<JsonObject> StoreAsync(HttpContext context, DicomScriptServer archive, PooledFileBytes file)
    {
        IngestResult result;
        try
        {
            var origin = RequestOrigins.Of(context);
            result = await archive.Ingest.IngestAsync(file, origin, context.RequestAborted).ConfigureAwait(false);
        }
        catch (DicomFormatException ex)
        {
            throw new RestRequestException(OrthancError.BadFileFormat, ex.Message);
        }
        catch (StorageFullException ex)
        {
            throw new RestRequestException(OrthancError.FullStorage, ex.Message);
        }
        catch (MissingIdentifierException ex)
        {
            // Orthanc's answer for a dataset without PatientID/Study/Series/SOP Instance UID.
            throw new RestRequestException(OrthancError.InexistentTag, ex.Message);
        }
        catch (ScriptException ex)
        {
            // ReceivedInstanceFilter failed or did not answer a boolean: nothing is stored.
            throw new RestRequestException(ex.Error, ex.Message);
        }

        var ids = result.Identifiers;
        return new JsonObject
        {
            ["ID"] = ids.InstanceHash,
            ["ParentPatient"] = ids.PatientHash,
            ["ParentSeries"] = ids.SeriesHash,
            ["ParentStudy"] = ids.StudyHash,
            ["Path"] = ResourceLevels.PathOf(ResourceLevel.Instance, ids.InstanceHash),
            ["Status"] = result.Status.ToString(),
        };
    }

    private static IResult Tags(HttpContext context, DicomScriptServer archive, string id, OrthancTagFormat format)
    {
        var bytes = archive.ReadFileBytes(id);
        if (bytes is null)
            return OrthancResponses.Error(context, OrthancError.UnknownResource);
        var json = OrthancJsonWriter.ToUtf8(DicomFile.Parse(bytes).Dataset, format);
        return Results.Bytes(json, "application/json; charset=utf-8");
    }

    /// <summary>
    /// The top-level text elements (Type "String") whose value is the same in every instance below
    /// the resource, in the full format unless <c>?simplify</c> or <c>?short</c>; as Orthanc computes them.
    /// </summary>
    private static IResult SharedTags(HttpContext context, DicomScriptServer archive, string id)
    {
        if (archive.Index.LevelOf(id) is null)
            return OrthancResponses.Error(context, OrthancError.UnknownResource);
        Dictionary<DicomTag, OrthancTagNode>? shared = null;
        foreach (var instance in archive.Index.InstanceSummariesOf(id))
        {
            if (archive.ReadDataset(instance.PublicId) is not { } dataset)
                continue; // deleted since the list was read, as Orthanc skips it

            var text = OrthancTagsConverter.Convert(dataset).Where(n => n.Type == OrthancValueType.String);
            if (shared is null)
            {
                shared = text.ToDictionary(n => n.Tag);
                continue;
            }

            var values = text.ToDictionary(n => n.Tag, n => n.Value);
            foreach (var tag in shared.Keys.Where(t => !values.TryGetValue(t, out var value) || value != shared[t].Value).ToList())
                shared.Remove(tag);
        }

        var format = ResourceJson.FormatOf(context.Request.Query, OrthancTagFormat.Full);
        return Results.Bytes(OrthancJsonWriter.ToUtf8([.. (shared?.Values ?? Enumerable.Empty<OrthancTagNode>()).OrderBy(n => n.Tag)], format), "application/json; charset=utf-8");
    }
}
