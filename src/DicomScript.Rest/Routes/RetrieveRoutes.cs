using System.Text.Json;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Json;
using DicomScript.Server;
using DicomScript.Server.Jobs;
using DicomScript.Server.Modification;
using DicomScript.Server.Remote;
using DicomScript.Storage.Identifiers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DicomScript.Rest.Routes;

/// <summary>
/// C-MOVE from a modality, as Orthanc 1.10.1 offers it: <c>POST /queries/{id}/retrieve</c> and
/// <c>/queries/{id}/answers/{i}/retrieve</c> (a DicomMoveScu job, synchronous by default; the body
/// is the target AE title as text, or <c>{TargetAet, Timeout, Simplify|Short|Full, Permissive,
/// Synchronous|Asynchronous, Priority}</c>; the target defaults to our DicomAet), and
/// <c>POST /modalities/{name}/move</c> (<c>{Resources, Level, LocalAet, TargetAet, Timeout}</c>,
/// run at once, answered <c>{}</c>).
/// </summary>
internal static class RetrieveRoutes
{
    public static void Map(IEndpointRouteBuilder routes, DicomScriptServer archive)
    {
        routes.MapPost("/queries/{id}/retrieve", (HttpContext context, string id) => RetrieveAsync(context, archive, id, null));
        routes.MapPost("/queries/{id}/answers/{index}/retrieve", (HttpContext context, string id, string index) => RetrieveAsync(context, archive, id, index));
        routes.MapPost("/modalities/{name}/move", (HttpContext context, string name) => MoveAsync(context, archive, name));
    }

    private static async Task<IResult> RetrieveAsync(HttpContext context, DicomScriptServer archive, string id, string? index)
    {
        try
        {
            var text = await RequestBody.ReadTextAsync(context).ConfigureAwait(false);
            var body = RequestBody.TryParseJson(text, out var json) ? json : null;
            var options = body as JsonObject ?? [];
            var targetAet = body is null
                ? (text.Length > 0 ? text : archive.Configuration.DicomAet)
                : JobRequests.LenientString(options, "TargetAet", archive.Configuration.DicomAet);
            int? timeout = JobRequests.LenientInteger(options, "Timeout", -1) is var seconds and >= 0 ? seconds : null;
            var format = QueryFormat(options);

            var query = archive.Queries.Get(id) ?? throw new RestRequestException(OrthancError.UnknownResource, "");
            IEnumerable<DicomDataset> answers = query.Answers;
            if (index is not null)
                answers = [QueryRoutes.RequireAnswer(query, index)];

            // JSON that is not an object: Orthanc fails with an internal error; we say what is wrong.
            if (body is not null && body is not JsonObject)
                throw new RestRequestException(OrthancError.BadFileFormat, "The body must be a JSON object or the target AE title as text");
            var job = new DicomMoveScuJob(archive, query.Modality, query.LocalAet, targetAet, timeout ?? query.Timeout, answers, format,
                JobRequests.Boolean(options, "Permissive", false), "REST API");
            return await JobRequests.SubmitAsync(context, archive.Jobs, job, options, synchronousByDefault: true).ConfigureAwait(false);
        }
        catch (RestRequestException ex)
        {
            return ex.Answer(context);
        }
    }

    // How the job lists the answers: Orthanc's Simplify, Short or Full flags, short by default.
    private static OrthancTagFormat QueryFormat(JsonObject options) =>
        JobRequests.Boolean(options, "Simplify", false) ? OrthancTagFormat.Simplified
        : JobRequests.Boolean(options, "Short", false) ? OrthancTagFormat.Short
        : JobRequests.Boolean(options, "Full", false) ? OrthancTagFormat.Full
        : OrthancTagFormat.Short;

    private static async Task<IResult> MoveAsync(HttpContext context, DicomScriptServer archive, string name)
    {
        try
        {
            var request = RequestBody.TryParseJson(await RequestBody.ReadTextAsync(context).ConfigureAwait(false), out var body) ? body as JsonObject : null;
            if (request?["Resources"] is not JsonArray resources || request["Level"] is not JsonValue level || level.GetValueKind() != JsonValueKind.String)
                throw new RestRequestException(OrthancError.BadFileFormat, "Must provide a JSON body containing fields Resources and Level");
            var moveLevel = ResourceLevels.Parse(level.GetValue<string>()) ?? throw new RestRequestException(OrthancError.ParameterOutOfRange, "");
            var localAet = JobRequests.LenientString(request, "LocalAet", archive.Configuration.DicomAet);
            var targetAet = JobRequests.LenientString(request, "TargetAet", archive.Configuration.DicomAet);
            var modality = ModalityRoutes.Require(archive, name);
            var timeout = JobRequests.UnsignedInteger(request, "Timeout");
            foreach (var resource in resources)
            {
                var identifier = RemoteMove.Identifier(moveLevel, Keys(resource)) ?? throw new RestRequestException(OrthancError.BadRequest, "");
                try
                {
                    await RemoteMove.MoveAsync(archive, modality, localAet, timeout, targetAet, identifier, context.RequestAborted).ConfigureAwait(false);
                }
                catch (IOException ex)
                {
                    // Orthanc answers a refusal to process (0xC000) with 422, other failures with 500.
                    return OrthancResponses.Error(context, OrthancError.NetworkProtocol, ex.Message, ex.Message.Contains("0xC000", StringComparison.Ordinal) ? 422 : null);
                }
            }

            return Results.Text("{}", "application/json");
        }
        catch (RestRequestException ex)
        {
            return ex.Answer(context);
        }
    }

    // A resource of /move: an object of tag names (or numbers) to strings.
    private static DicomDataset Keys(JsonNode? resource)
    {
        if (resource is not JsonObject members)
            throw new RestRequestException(OrthancError.BadFileFormat, "");
        var keys = new DicomDataset();
        foreach (var (name, value) in members)
        {
            if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
                throw new RestRequestException(OrthancError.BadFileFormat, "");
            DicomTag tag;
            try
            {
                tag = ModificationRequest.ParseTag(name);
            }
            catch (ModificationException ex)
            {
                throw new RestRequestException(ex.Error, ex.Message);
            }

            keys.AddText(tag, Dicom.Dictionary.DicomDictionary.Find(tag)?.DefaultVR is { IsString: true } vr ? vr : DicomVR.LO, v.GetValue<string>());
        }

        return keys;
    }
}
