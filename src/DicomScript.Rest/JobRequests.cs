using System.Text.Json;
using System.Text.Json.Nodes;
using DicomScript.Server;
using DicomScript.Server.Jobs;
using Microsoft.AspNetCore.Http;

namespace DicomScript.Rest;

/// <summary>A request Orthanc would refuse: the error code and its details, answered by the route.</summary>
internal sealed class RestRequestException(OrthancError error, string details) : Exception(details)
{
    public OrthancError Error { get; } = error;

    /// <summary>Orthanc's error body for this refusal (Details only when there are some).</summary>
    public IResult Answer(HttpContext context) => OrthancResponses.Error(context, Error, Message.Length > 0 ? Message : null);
}

/// <summary>
/// Reading the options of job-creating requests as Orthanc reads them (wrong types are 400
/// "Bad file format" with its messages), and answering them: synchronous (the default for most
/// routes) waits for the job and answers its Content, or its error; asynchronous answers
/// <c>{ID, Path}</c> at once.
/// </summary>
internal static class JobRequests
{
    public static bool Boolean(JsonObject body, string key, bool fallback) => body[key] switch
    {
        null when !body.ContainsKey(key) => fallback,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        _ => throw new RestRequestException(OrthancError.BadFileFormat, $"Boolean value expected in field: {key}"),
    };

    public static int Integer(JsonObject body, string key, int fallback) => body[key] switch
    {
        null when !body.ContainsKey(key) => fallback,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var n) => n,
        _ => throw new RestRequestException(OrthancError.BadFileFormat, $"Integer value expected in field: {key}"),
    };

    public static int? UnsignedInteger(JsonObject body, string key)
    {
        if (!body.ContainsKey(key))
            return null;
        var value = Integer(body, key, 0);
        return value >= 0 ? value : throw new RestRequestException(OrthancError.BadFileFormat, $"Unsigned integer value expected in field: {key}");
    }

    /// <summary>A string field, or <paramref name="fallback"/> when absent or not a string (Orthanc's lenient read).</summary>
    public static string LenientString(JsonObject body, string key, string fallback) =>
        body[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : fallback;

    /// <summary>An integer field, or <paramref name="fallback"/> when absent or not an integer (Orthanc's lenient read).</summary>
    public static int LenientInteger(JsonObject body, string key, int fallback) =>
        body[key] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var n) ? n : fallback;

    /// <summary>Orthanc's "Synchronous" (or the inverse "Asynchronous"), else the route's default.</summary>
    public static bool IsSynchronous(JsonObject body, bool byDefault) =>
        body.ContainsKey("Synchronous") ? Boolean(body, "Synchronous", byDefault)
        : body.ContainsKey("Asynchronous") ? !Boolean(body, "Asynchronous", !byDefault)
        : byDefault;

    /// <summary>Submits <paramref name="job"/> and answers as the body asks (see the class summary).</summary>
    public static async Task<IResult> SubmitAsync(HttpContext context, JobsEngine engine, Job job, JsonObject body, bool synchronousByDefault)
    {
        var synchronous = IsSynchronous(body, synchronousByDefault);
        var priority = Integer(body, "Priority", 0);
        if (!synchronous)
        {
            var id = engine.Submit(job, priority);
            return OrthancResponses.Json(new JsonObject { ["ID"] = id, ["Path"] = $"/jobs/{id}" });
        }

        var outcome = await engine.SubmitAndWaitAsync(job, priority).ConfigureAwait(false);
        if (outcome.Succeeded)
            return OrthancResponses.Json(ResourceJson.Sorted(outcome.Content));
        return OrthancResponses.Error(context, outcome.Error, outcome.ErrorDetails.Length > 0 ? outcome.ErrorDetails : null);
    }
}
