using System.Globalization;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Json;
using DicomScript.Server;
using DicomScript.Storage.Identifiers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DicomScript.Rest.Routes;

/// <summary>
/// The four levels: <c>GET /patients</c> (IDs; <c>?expand</c> for the objects; <c>?since=N&amp;limit=M</c>
/// to page), <c>GET /patients/{id}</c>, <c>DELETE /patients/{id}</c>, and the same for studies, series
/// and instances.
/// </summary>
internal static class ResourceRoutes
{
    public static void Map(IEndpointRouteBuilder routes, DicomScriptServer archive)
    {
        foreach (var level in Enum.GetValues<ResourceLevel>())
        {
            var plural = "/" + ResourceLevels.PluralOf(level);
            routes.MapGet(plural, (HttpContext context) => List(context, archive, level));
            // An unknown ID gets a bare 404 here, as from Orthanc (its sub-routes answer an error body).
            routes.MapGet(plural + "/{id}", (HttpContext context, string id) =>
                ResourceJson.Describe(archive.Index, id, ResourceJson.FormatOf(context.Request.Query, OrthancTagFormat.Simplified), level) is { } json
                    ? OrthancResponses.Json(json)
                    : Results.NotFound());
            routes.MapDelete(plural + "/{id}", (string id) => Delete(archive, level, id));
        }

        // Protection from recycling: "0" or "1", as text.
        routes.MapGet("/patients/{id}/protected", (HttpContext context, string id) => IsProtected(context, archive, id));
        routes.MapPut("/patients/{id}/protected", (HttpContext context, string id) => SetProtectedAsync(context, archive, id));
    }

    /// <summary>True when <paramref name="id"/> is a resource of <paramref name="level"/> (Orthanc answers 404 for another level's ID).</summary>
    private static bool Found(DicomScriptServer archive, ResourceLevel level, string id) => archive.Index.LevelOf(id) == level;

    private static IResult List(HttpContext context, DicomScriptServer archive, ResourceLevel level)
    {
        var query = context.Request.Query;
        IEnumerable<string> ids = archive.Index.List(level);
        // Orthanc pages only with both arguments, and says which one is missing.
        if (query.ContainsKey("since") || query.ContainsKey("limit"))
        {
            if (!query.ContainsKey("since") || !query.ContainsKey("limit"))
            {
                var missing = query.ContainsKey("since") ? "limit" : "since";
                return OrthancResponses.Error(context, OrthancError.BadRequest, $"Missing \"{missing}\" argument for GET request against: {context.Request.Path}/");
            }

            if (!int.TryParse(query["since"], NumberStyles.None, CultureInfo.InvariantCulture, out var since)
                || !int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var limit))
                return OrthancResponses.Error(context, OrthancError.BadParameterType, "Syntax error in some user-supplied data");
            ids = ids.Skip(since).Take(limit);
        }

        if (!query.ContainsKey("expand"))
            return OrthancResponses.Json(new JsonArray([.. ids.Select(id => (JsonNode)id)]));
        // A resource deleted while the list is built is left out rather than shown as null.
        var format = ResourceJson.FormatOf(query, OrthancTagFormat.Simplified);
        return OrthancResponses.Json(new JsonArray([.. ResourceJson.DescribeMany(archive.Index, [.. ids], format)]));
    }

    private static IResult IsProtected(HttpContext context, DicomScriptServer archive, string id) => archive.Index.IsProtected(id) switch
    {
        true => Results.Text("1", "text/plain"),
        false => Results.Text("0", "text/plain"),
        null => OrthancResponses.Error(context, OrthancError.UnknownResource),
    };

    private static async Task<IResult> SetProtectedAsync(HttpContext context, DicomScriptServer archive, string id)
    {
        var isProtected = (await RequestBody.ReadTextAsync(context).ConfigureAwait(false)).Trim() switch
        {
            "0" => false,
            "1" => true,
            _ => (bool?)null,
        };
        if (isProtected is null)
            return OrthancResponses.Error(context, OrthancError.BadRequest, "the body must be 0 or 1");
        return archive.Index.SetProtected(id, isProtected.Value) ? Results.Text("", "text/plain") : OrthancResponses.Error(context, OrthancError.UnknownResource);
    }

    // Orthanc's answer: {"RemainingAncestor": null | {ID, Path, Type}}.
    private static IResult Delete(DicomScriptServer archive, ResourceLevel level, string id)
    {
        var outcome = Found(archive, level, id) ? archive.Delete(id) : null;
        if (outcome is null)
            return Results.NotFound();
        var ancestor = outcome.RemainingAncestor is var (ancestorId, ancestorLevel)
            ? new JsonObject
            {
                ["ID"] = ancestorId,
                ["Path"] = ResourceLevels.PathOf(ancestorLevel, ancestorId),
                ["Type"] = ResourceJson.TypeOf(ancestorLevel),
            }
            : null;
        return OrthancResponses.Json(new JsonObject { ["RemainingAncestor"] = ancestor });
    }
}
