using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.Json;
using DicomScript.Server;
using DicomScript.Server.Remote;
using DicomScript.Server.Scripting;
using DicomScript.Storage.Identifiers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DicomScript.Rest.Routes;

/// <summary>
/// Query/retrieve against a modality as Orthanc 1.10.1 offers it: <c>POST /modalities/{name}/query</c>
/// (<c>{Level, Query, Normalize, LocalAet, Timeout}</c>; a C-FIND now, answered <c>{ID, Path}</c>),
/// then <c>/queries</c>, <c>/queries/{id}</c> (operations), <c>/answers</c> (<c>?expand</c>,
/// formats), <c>/answers/{i}</c>, <c>/answers/{i}/content</c>, <c>/level</c>, <c>/modality</c>,
/// <c>/query</c> and DELETE.
/// </summary>
internal static class QueryRoutes
{
    private static readonly string[] QueryOperations = ["answers", "level", "modality", "query", "retrieve"];

    public static void Map(IEndpointRouteBuilder routes, DicomScriptServer archive)
    {
        routes.MapPost("/modalities/{name}/query", (HttpContext context, string name) => QueryAsync(context, archive, name));
        routes.MapGet("/queries", () => OrthancResponses.Json(new JsonArray([.. archive.Queries.List().Select(id => (JsonNode)id)])));
        routes.MapGet("/queries/{id}", (HttpContext context, string id) =>
            WithQuery(context, archive, id, _ => OrthancResponses.Json(new JsonArray([.. QueryOperations.Select(o => (JsonNode)o)]))));
        routes.MapDelete("/queries/{id}", (string id) =>
        {
            archive.Queries.Remove(id);
            return Results.Text("", "text/plain");
        });
        routes.MapGet("/queries/{id}/answers", (HttpContext context, string id) => WithQuery(context, archive, id, query => Answers(context, query)));
        routes.MapGet("/queries/{id}/answers/{index}", (HttpContext context, string id, string index) =>
            WithAnswer(context, archive, id, index, (query, _) => OrthancResponses.Json(new JsonArray([.. AnswerOperations(query.Level).Select(o => (JsonNode)o)]))));
        routes.MapGet("/queries/{id}/answers/{index}/content", (HttpContext context, string id, string index) =>
            WithAnswer(context, archive, id, index, (_, answer) => Json(Summary(answer), Format(context))));
        routes.MapGet("/queries/{id}/level", (HttpContext context, string id) =>
            WithQuery(context, archive, id, query => Results.Text(ResourceJson.TypeOf(query.Level), "text/plain")));
        routes.MapGet("/queries/{id}/modality", (HttpContext context, string id) =>
            WithQuery(context, archive, id, query => Results.Text(query.Modality.Name, "text/plain")));
        routes.MapGet("/queries/{id}/query", (HttpContext context, string id) =>
            WithQuery(context, archive, id, query => Json(AsNodes(query.Keys), Format(context))));
    }

    // Orthanc lists "query-study" for a patient answer (its route is query-studies): kept as is.
    private static IEnumerable<string> AnswerOperations(ResourceLevel level) => level switch
    {
        ResourceLevel.Patient => ["content", "retrieve", "query-study", "query-series", "query-instances"],
        ResourceLevel.Study => ["content", "retrieve", "query-series", "query-instances"],
        ResourceLevel.Series => ["content", "retrieve", "query-instances"],
        _ => ["content", "retrieve"],
    };

    private static OrthancTagFormat Format(HttpContext context) => ResourceJson.FormatOf(context.Request.Query, OrthancTagFormat.Full);

    private static IResult WithQuery(HttpContext context, DicomScriptServer archive, string id, Func<ModalityQuery, IResult> answer) =>
        archive.Queries.Get(id) is { } query ? answer(query) : OrthancResponses.Error(context, OrthancError.UnknownResource);

    private static IResult WithAnswer(HttpContext context, DicomScriptServer archive, string id, string index, Func<ModalityQuery, DicomDataset, IResult> answer) =>
        WithQuery(context, archive, id, query =>
            AnswerIndex(query, index) is { } i ? answer(query, query.Answers[i]) : OrthancResponses.Error(context, OrthancError.ParameterOutOfRange));

    /// <summary>The answer an index in a URL names, or null when there is none (Orthanc: parameter out of range).</summary>
    private static int? AnswerIndex(ModalityQuery query, string index) =>
        int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < query.Answers.Count ? i : null;

    /// <summary>
    /// The answer an index names, for the routes that act on it (retrieve, query-*): not a number is
    /// a bad parameter type (Orthanc's failed lexical_cast), past the end out of range.
    /// </summary>
    internal static DicomDataset RequireAnswer(ModalityQuery query, string index)
    {
        if (!uint.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            throw new RestRequestException(OrthancError.BadParameterType, "Syntax error in some user-supplied data");
        return AnswerIndex(query, index) is { } i ? query.Answers[i] : throw new RestRequestException(OrthancError.ParameterOutOfRange, "");
    }

    private static IResult Answers(HttpContext context, ModalityQuery query)
    {
        if (!context.Request.Query.ContainsKey("expand"))
            return OrthancResponses.Json(new JsonArray([.. Enumerable.Range(0, query.Answers.Count).Select(i => (JsonNode)i.ToString(CultureInfo.InvariantCulture))]));
        var format = Format(context);
        return OrthancResponses.Json(new JsonArray([.. query.Answers.Select(a => JsonNode.Parse(OrthancJsonWriter.ToUtf8(Summary(a), format)))]));
    }

    private static IResult Json(IReadOnlyList<OrthancTagNode> nodes, OrthancTagFormat format) =>
        Results.Bytes(OrthancJsonWriter.ToUtf8(nodes, format), "application/json; charset=utf-8");

    // An answer as Orthanc keeps it: its top-level text elements (sequences and binary values aside).
    private static List<OrthancTagNode> Summary(DicomDataset answer) =>
        [.. OrthancTagsConverter.Convert(answer).Where(n => n.Type is OrthancValueType.String or OrthancValueType.Null)];

    private static List<OrthancTagNode> AsNodes(IEnumerable<(DicomTag Tag, string Value)> keys) =>
        [.. keys.OrderBy(k => k.Tag).Select(k => new OrthancTagNode(k.Tag, OrthancTagsConverter.Name(k.Tag, NoOwner), null, OrthancValueType.String, k.Value, null))];

    // Query keys are named as public tags: no private creator to look up.
    private static readonly DicomDataset NoOwner = new();

    private static async Task<IResult> QueryAsync(HttpContext context, DicomScriptServer archive, string name)
    {
        var request = await RequestBody.ReadObjectAsync(context).ConfigureAwait(false);
        try
        {
            return await RunAsync(context, archive, Parse(request, archive, name)).ConfigureAwait(false);
        }
        catch (RestRequestException ex)
        {
            return ex.Answer(context);
        }
    }

    /// <summary>Runs a C-FIND, keeps its answers in /queries and answers <c>{ID, Path}</c> (a network failure: error 9 and why; a failing OutgoingFindRequestFilter: its Lua error).</summary>
    internal static async Task<IResult> RunAsync(HttpContext context, DicomScriptServer archive, ModalityQuery query)
    {
        try
        {
            await query.RunAsync(archive, context.RequestAborted).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            return OrthancResponses.Error(context, OrthancError.NetworkProtocol, ex.Message);
        }
        catch (ScriptException ex)
        {
            // OutgoingFindRequestFilter failed or did not return a query: nothing was sent.
            return OrthancResponses.Error(context, ex.Error, ex.Message);
        }

        var id = archive.Queries.Add(query);
        return OrthancResponses.Json(new JsonObject { ["ID"] = id, ["Path"] = $"/queries/{id}" });
    }

    // The query's keys: tag names or numbers to strings (anything else refused as Orthanc's ReadMapOfTags does).
    internal static List<(DicomTag Tag, string Value)> Keys(JsonObject? query)
    {
        var keys = new List<(DicomTag, string)>();
        foreach (var (key, value) in query ?? [])
        {
            if (!DicomDictionary.TryParseTag(key, out var tag)
                || value is not JsonValue text || text.GetValueKind() != JsonValueKind.String)
                throw new RestRequestException(OrthancError.BadFileFormat, "Associative array of DICOM tags to strings expected in field: Query");
            keys.Add((tag, text.GetValue<string>()));
        }

        return keys;
    }

    // The checks in Orthanc's order, with its messages.
    private static ModalityQuery Parse(JsonObject? request, DicomScriptServer archive, string name)
    {
        static RestRequestException Bad(string message) => new(OrthancError.BadFileFormat, message);
        if (request is null)
            throw Bad("Must provide a JSON object");
        if (request["Level"] is not JsonValue levelValue || levelValue.GetValueKind() != JsonValueKind.String)
            throw Bad("The JSON body must contain field Level");
        if (request.ContainsKey("Normalize") && request["Normalize"]?.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
            throw Bad("The field Normalize must contain a Boolean");
        if (request.ContainsKey("Query") && request["Query"] is not JsonObject)
            throw Bad("The field Query must contain a JSON object");
        if (request.ContainsKey("LocalAet") && request["LocalAet"]?.GetValueKind() != JsonValueKind.String)
            throw Bad("The field LocalAet must contain a string");
        var modality = ModalityRoutes.Require(archive, name);
        var level = ResourceLevels.Parse(levelValue.GetValue<string>()) ?? throw new RestRequestException(OrthancError.ParameterOutOfRange, "");
        var keys = Keys(request["Query"] as JsonObject);
        var normalize = request["Normalize"]?.GetValue<bool>() ?? true;
        var localAet = request["LocalAet"]?.GetValue<string>() ?? archive.Configuration.DicomAet;
        return new ModalityQuery(modality, level, keys, normalize, localAet, JobRequests.UnsignedInteger(request, "Timeout"));
    }
}
