using System.Text.Json;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Data;
using DicomScript.Server;
using DicomScript.Server.Jobs;
using DicomScript.Server.Modification;
using DicomScript.Storage.Identifiers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DicomScript.Rest.Routes;

/// <summary>
/// Orthanc's modify and anonymize routes. <c>/instances/{id}/modify|anonymize</c> answer the
/// modified file and store nothing; <c>/{patients|studies|series}/{id}/modify|anonymize</c> and
/// <c>/tools/bulk-modify|bulk-anonymize</c> run a ResourceModification job (synchronous by default)
/// that stores the new instances. Bodies are read by <see cref="ModificationRequest"/>.
/// </summary>
internal static class ModifyRoutes
{
    public static void Map(IEndpointRouteBuilder routes, DicomScriptServer archive)
    {
        foreach (var anonymize in new[] { false, true })
        {
            var action = anonymize ? "anonymize" : "modify";
            routes.MapPost($"/instances/{{id}}/{action}", (HttpContext context, string id) => InstanceAsync(context, archive, id, anonymize));
            foreach (var level in new[] { ResourceLevel.Patient, ResourceLevel.Study, ResourceLevel.Series })
            {
                routes.MapPost($"/{ResourceLevels.PluralOf(level)}/{{id}}/{action}", (HttpContext context, string id) =>
                    ResourceAsync(context, archive, [id], level, anonymize));
            }

            routes.MapPost($"/tools/bulk-{action}", (Func<HttpContext, Task<IResult>>)(context => BulkAsync(context, archive, anonymize)));
        }
    }

    private static async Task<IResult> InstanceAsync(HttpContext context, DicomScriptServer archive, string id, bool anonymize)
    {
        try
        {
            var body = await ReadBodyAsync(context).ConfigureAwait(false);
            var modification = Parse(archive, body, anonymize);
            DicomTransferSyntax? transcode = null;
            if (!anonymize)
            {
                modification.SetLevel(DetectLevel(modification));
                transcode = TranscodeOption(body!.AsObject(), unknown => new RestRequestException(OrthancError.ParameterOutOfRange, "Unknown transfer syntax: " + unknown));
            }

            if (archive.Modifier.Modify(id, modification) is not var (file, _))
                return OrthancResponses.Error(context, OrthancError.UnknownResource);
            var bytes = transcode is null ? Dicom.IO.DicomWriter.ToBytes(file) : Transcoding.TryWrite(file, transcode)
                ?? throw new RestRequestException(OrthancError.NotImplemented, $"Cannot transcode from {file.TransferSyntax.Uid} to {transcode.Uid}: pixel data codecs are not available");
            return Results.Bytes(bytes, "application/dicom");
        }
        catch (ModificationException ex)
        {
            return OrthancResponses.Error(context, ex.Error, ex.Message.Length > 0 ? ex.Message : null);
        }
        catch (RestRequestException ex)
        {
            return ex.Answer(context);
        }
    }

    private static async Task<IResult> BulkAsync(HttpContext context, DicomScriptServer archive, bool anonymize)
    {
        try
        {
            var body = await ReadBodyAsync(context).ConfigureAwait(false);
            var resources = body is JsonObject request && request["Resources"] is JsonArray array
                && array.All(item => item is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                ? array.Select(item => item!.GetValue<string>()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList()
                : null;
            return await SubmitAsync(context, archive, body, resources, null, anonymize).ConfigureAwait(false);
        }
        catch (RestRequestException ex)
        {
            return ex.Answer(context);
        }
    }

    private static async Task<IResult> ResourceAsync(HttpContext context, DicomScriptServer archive, List<string> resources, ResourceLevel level, bool anonymize)
    {
        try
        {
            var body = await ReadBodyAsync(context).ConfigureAwait(false);
            return await SubmitAsync(context, archive, body, resources, level, anonymize).ConfigureAwait(false);
        }
        catch (RestRequestException ex)
        {
            return ex.Answer(context);
        }
    }

    // One job over every instance below the resources; level null for a bulk request (resources
    // null when its "Resources" is not a list of strings).
    private static async Task<IResult> SubmitAsync(HttpContext context, DicomScriptServer archive, JsonNode? body, List<string>? resources,
        ResourceLevel? level, bool anonymize)
    {
        DicomModification modification;
        try
        {
            modification = Parse(archive, body, anonymize);
        }
        catch (ModificationException ex)
        {
            return OrthancResponses.Error(context, ex.Error, ex.Message.Length > 0 ? ex.Message : null);
        }

        // Checked in Orthanc's order, so the same error wins when several options are wrong.
        var options = body!.AsObject();
        if (!anonymize)
            modification.SetLevel(level ?? BulkLevel(options, modification));
        if (resources is null)
            throw new RestRequestException(OrthancError.BadFileFormat, "List of strings expected in field: Resources");
        var keepSource = JobRequests.Boolean(options, "KeepSource", true);
        var transcode = TranscodeOption(options, unknown => new RestRequestException(OrthancError.BadFileFormat, "Unknown transfer syntax UID: " + unknown));
        var instances = new List<string>();
        foreach (var resource in resources)
        {
            if (archive.Index.Children(resource) is null)
                throw new RestRequestException(OrthancError.UnknownResource, "");
            instances.AddRange(archive.Index.InstanceSummariesOf(resource).Select(s => s.PublicId));
        }

        var permissive = JobRequests.Boolean(options, "Permissive", false);
        var origin = RequestOrigins.Of(context);
        var job = new ResourceModificationJob(archive, modification, anonymize, level, instances, origin, keepSource, permissive, "REST API")
        {
            Transcode = transcode,
        };
        return await JobRequests.SubmitAsync(context, archive.Jobs, job, options, synchronousByDefault: true).ConfigureAwait(false);
    }

    // The body as JSON; a body that is not JSON at all is refused as Orthanc refuses it.
    private static async Task<JsonNode?> ReadBodyAsync(HttpContext context)
    {
        return RequestBody.TryParseJson(await RequestBody.ReadTextAsync(context).ConfigureAwait(false), out var body)
            ? body
            : throw new RestRequestException(OrthancError.BadFileFormat, "");
    }

    private static DicomModification Parse(DicomScriptServer archive, JsonNode? body, bool anonymize)
    {
        var privateCreator = archive.Configuration.DefaultPrivateCreator;
        return anonymize
            ? ModificationRequest.ParseAnonymize(body, privateCreator, archive.Modifier.NewAnonymizedPatientName)
            : ModificationRequest.ParseModify(body, privateCreator);
    }

    // Modifying an instance changes the identifiers from the highest one the request replaces.
    private static ResourceLevel DetectLevel(DicomModification modification) =>
        modification.IsReplaced(Dicom.Dictionary.DicomTags.PatientID) ? ResourceLevel.Patient
        : modification.IsReplaced(Dicom.Dictionary.DicomTags.StudyInstanceUID) ? ResourceLevel.Study
        : modification.IsReplaced(Dicom.Dictionary.DicomTags.SeriesInstanceUID) ? ResourceLevel.Series
        : ResourceLevel.Instance;

    // Bulk modifications take "Level" (Patient, Study, Series, Instance and their plurals), else detect it.
    private static ResourceLevel BulkLevel(JsonObject options, DicomModification modification)
    {
        if (!options.ContainsKey("Level"))
            return DetectLevel(modification);
        var text = options["Level"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "";
        return ResourceLevels.Parse(text) ?? throw new RestRequestException(OrthancError.ParameterOutOfRange, "");
    }

    private static DicomTransferSyntax? TranscodeOption(JsonObject options, Func<string, RestRequestException> unknown)
    {
        if (!options.ContainsKey("Transcode"))
            return null;
        var uid = options["Transcode"] is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw new RestRequestException(OrthancError.BadFileFormat, "String value expected in field: Transcode");
        return Transcoding.Find(uid) ?? throw unknown(uid);
    }
}
