using System.Text.Json.Nodes;
using DicomScript.Server;
using DicomScript.Server.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DicomScript.Rest.Routes;

/// <summary>
/// The jobs engine as Orthanc 1.10.1 shows it: <c>GET /jobs</c> (IDs; <c>?expand</c> for the
/// objects), <c>GET /jobs/{id}</c>, and <c>POST /jobs/{id}/cancel|pause|resume|resubmit</c>
/// (<c>{}</c> when done). As in Orthanc, an unknown job is a bare 404 on GET and a refused action
/// (unknown job, resuming one not paused, resubmitting one not failed) a bare 400.
/// </summary>
internal static class JobRoutes
{
    public static void Map(IEndpointRouteBuilder routes, DicomScriptServer archive)
    {
        var jobs = archive.Jobs;
        routes.MapGet("/jobs", (HttpContext context) => List(context, jobs));
        routes.MapGet("/jobs/{id}", (string id) => jobs.Describe(id) is { } info ? OrthancResponses.Json(Format(info)) : Results.NotFound());
        routes.MapGet("/jobs/{id}/{key}", (HttpContext context, string id, string key) =>
            OrthancResponses.Error(context, OrthancError.InexistentItem, $"Job has no such output: {key}"));
        MapAction(routes, "cancel", jobs.Cancel);
        MapAction(routes, "pause", jobs.Pause);
        MapAction(routes, "resume", jobs.Resume);
        MapAction(routes, "resubmit", jobs.Resubmit);
    }

    private static void MapAction(IEndpointRouteBuilder routes, string action, Func<string, bool> apply) =>
        routes.MapPost($"/jobs/{{id}}/{action}", (string id) => apply(id) ? Results.Text("{}", "application/json") : Results.BadRequest());

    private static IResult List(HttpContext context, JobsEngine jobs)
    {
        var ids = jobs.List();
        if (!context.Request.Query.ContainsKey("expand"))
            return OrthancResponses.Json(new JsonArray([.. ids.Select(id => (JsonNode)id)]));
        var expanded = new JsonArray();
        foreach (var id in ids)
        {
            if (jobs.Describe(id) is { } info)
                expanded.Add(Format(info));
        }

        return OrthancResponses.Json(expanded);
    }

    /// <summary>Orthanc's job object (its keys in its order).</summary>
    public static JsonObject Format(JobInfo info)
    {
        var json = new JsonObject
        {
            ["Content"] = ResourceJson.Sorted(info.Content),
            ["CreationTime"] = JobsEngine.FormatTime(info.CreationTime),
            ["EffectiveRuntime"] = Math.Round(info.EffectiveRuntime.TotalMilliseconds) / 1000.0,
            ["ErrorCode"] = (int)info.Error,
            ["ErrorDescription"] = OrthancErrors.Describe(info.Error),
            ["ErrorDetails"] = info.ErrorDetails,
            ["ID"] = info.Id,
            ["Priority"] = info.Priority,
            ["Progress"] = (int)Math.Round(info.Progress * 100, MidpointRounding.AwayFromZero),
            ["State"] = info.State.ToString(),
            ["Timestamp"] = JobsEngine.FormatTime(info.Timestamp),
            ["Type"] = info.Type,
        };
        if (info.CompletionTime is { } completed)
            json["CompletionTime"] = JobsEngine.FormatTime(completed);
        if (info.EstimatedTimeOfArrival is { } eta)
            json["EstimatedTimeOfArrival"] = JobsEngine.FormatTime(eta);
        return ResourceJson.Sorted(json);
    }
}
