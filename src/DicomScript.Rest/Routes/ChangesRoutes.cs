using System.Globalization;
using System.Text.Json.Nodes;
using DicomScript.Server;
using DicomScript.Storage.Identifiers;
using DicomScript.Storage.Index;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DicomScript.Rest.Routes;

/// <summary>
/// The change log (<c>GET /changes?since=N&amp;limit=M</c>, <c>?last</c>, <c>DELETE /changes</c>) and
/// the log of exported resources (<c>/exports</c>, the same arguments), as Orthanc 1.10.1 pages them:
/// <c>{Changes|Exports: [...], Done, Last}</c>, 100 entries by default.
/// </summary>
internal static class ChangesRoutes
{
    private const int DefaultLimit = 100;

    public static void Map(IEndpointRouteBuilder routes, DicomScriptServer archive)
    {
        var index = archive.Index;
        routes.MapGet("/changes", (HttpContext context) =>
        {
            var page = Arguments(context) is { } range ? index.ReadChanges(range.Since, range.Limit) : index.LastChange();
            return OrthancResponses.Json(Log("Changes", page, ChangeJson));
        });
        routes.MapDelete("/changes", () =>
        {
            index.ClearChanges();
            return Results.Text("", "text/plain");
        });
        routes.MapGet("/exports", (HttpContext context) =>
        {
            var page = Arguments(context) is { } range ? index.ReadExports(range.Since, range.Limit) : index.LastExport();
            return OrthancResponses.Json(Log("Exports", page, ExportJson));
        });
        routes.MapDelete("/exports", () =>
        {
            index.ClearExports();
            return Results.Text("", "text/plain");
        });
    }

    // Null for ?last. As Orthanc, an argument that is not a number resets both to their defaults.
    private static (long Since, int Limit)? Arguments(HttpContext context)
    {
        var query = context.Request.Query;
        if (query.ContainsKey("last"))
            return null;
        var since = query.TryGetValue("since", out var s) ? s.ToString() : "0";
        var limit = query.TryGetValue("limit", out var l) ? l.ToString() : DefaultLimit.ToString(CultureInfo.InvariantCulture);
        return long.TryParse(since, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var sinceValue)
            && int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var limitValue)
            ? (sinceValue, limitValue)
            : (0, DefaultLimit);
    }

    private static JsonObject Log<T>(string name, LogPage<T> page, Func<T, JsonObject> toJson)
        where T : ILogEntry => new()
        {
            [name] = new JsonArray([.. page.Entries.Select(e => (JsonNode)toJson(e))]),
            ["Done"] = page.Done,
            ["Last"] = page.Last,
        };

    private static JsonObject ChangeJson(Change change) => new()
    {
        ["ChangeType"] = change.ChangeType.ToString(),
        ["Date"] = change.Date,
        ["ID"] = change.PublicId,
        ["Path"] = ResourceLevels.PathOf(change.ResourceType, change.PublicId),
        ["ResourceType"] = ResourceJson.TypeOf(change.ResourceType),
        ["Seq"] = change.Seq,
    };

    // The UIDs down to the resource's level, as Orthanc lists them.
    private static JsonObject ExportJson(ExportedResource export)
    {
        var json = new JsonObject
        {
            ["Date"] = export.Date,
            ["ID"] = export.PublicId,
            ["Path"] = ResourceLevels.PathOf(export.ResourceType, export.PublicId),
            ["PatientID"] = export.PatientId,
            ["RemoteModality"] = export.RemoteModality,
            ["ResourceType"] = ResourceJson.TypeOf(export.ResourceType),
            ["Seq"] = export.Seq,
        };
        if (export.ResourceType == ResourceLevel.Instance)
            json["SOPInstanceUID"] = export.SopInstanceUid;
        if (export.ResourceType >= ResourceLevel.Series)
            json["SeriesInstanceUID"] = export.SeriesInstanceUid;
        if (export.ResourceType >= ResourceLevel.Study)
            json["StudyInstanceUID"] = export.StudyInstanceUid;
        return ResourceJson.Sorted(json);
    }
}
