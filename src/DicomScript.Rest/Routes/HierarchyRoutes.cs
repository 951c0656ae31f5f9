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
/// Moving through the tree: a resource's descendants of one level (<c>/studies/{id}/instances</c>)
/// and its ancestor of one level (<c>/instances/{id}/study</c>), both expanded, as Orthanc 1.10.1
/// answers them; and what a subtree holds (<c>/{level}/{id}/statistics</c>).
/// </summary>
internal static class HierarchyRoutes
{
    private const long MegaByte = 1024 * 1024;

    public static void Map(IEndpointRouteBuilder routes, DicomScriptServer archive)
    {
        foreach (var start in Enum.GetValues<ResourceLevel>())
        {
            var prefix = "/" + ResourceLevels.PluralOf(start) + "/{id}/";
            foreach (var end in Enum.GetValues<ResourceLevel>().Where(l => l > start))
                routes.MapGet(prefix + ResourceLevels.PluralOf(end), (HttpContext context, string id) => Descendants(context, archive, id, start, end));
            foreach (var end in Enum.GetValues<ResourceLevel>().Where(l => l < start))
                routes.MapGet(prefix + SingularOf(end), (HttpContext context, string id) => Ancestor(context, archive, id, start, end));
            routes.MapGet(prefix + "statistics", (HttpContext context, string id) => Statistics(context, archive, id));
        }
    }

    private static string SingularOf(ResourceLevel level) => level switch
    {
        ResourceLevel.Patient => "patient",
        ResourceLevel.Study => "study",
        _ => "series",
    };

    /// <summary>
    /// Goes down one level at a time from <paramref name="id"/>. Orthanc prepends each resource's
    /// children to the list it builds, so the answer lists the last parent's children first; we keep
    /// that order. An ID of another level is walked all the same, and what is not of the
    /// <paramref name="end"/> level is left out of the answer.
    /// </summary>
    private static IResult Descendants(HttpContext context, DicomScriptServer archive, string id, ResourceLevel start, ResourceLevel end)
    {
        IReadOnlyList<string> current = [id];
        for (var level = start; level < end; level++)
        {
            var next = new List<string>();
            foreach (var parent in current)
            {
                var children = archive.Index.Children(parent);
                if (children is null)
                    return OrthancResponses.Error(context, OrthancError.UnknownResource);
                if (children.Value.Level == ResourceLevel.Instance)
                    return OrthancResponses.Error(context, OrthancError.BadParameterType); // as Orthanc: an instance has no children to ask for
                next.InsertRange(0, children.Value.Children);
            }

            current = next;
        }

        var format = ResourceJson.FormatOf(context.Request.Query, OrthancTagFormat.Simplified);
        return OrthancResponses.Json(new JsonArray([.. ResourceJson.DescribeMany(archive.Index, current, format, end)]));
    }

    // A patient has no parent: Orthanc then answers a bare 404, as for a resource deleted meanwhile.
    private static IResult Ancestor(HttpContext context, DicomScriptServer archive, string id, ResourceLevel start, ResourceLevel end)
    {
        var current = id;
        for (var level = start; level > end; level--)
        {
            if (!archive.Index.TryGetParent(current, out var parent))
                return OrthancResponses.Error(context, OrthancError.UnknownResource);
            if (parent is null)
                return Results.NotFound();
            current = parent;
        }

        return ResourceJson.Describe(archive.Index, current, ResourceJson.FormatOf(context.Request.Query, OrthancTagFormat.Simplified), end) is { } json
            ? OrthancResponses.Json(json)
            : Results.NotFound();
    }

    // Sizes are strings (64-bit values), MB figures integers; counts only of the levels below the resource's own.
    private static IResult Statistics(HttpContext context, DicomScriptServer archive, string id)
    {
        if (archive.Index.StatisticsOf(id) is not { } statistics)
            return OrthancResponses.Error(context, OrthancError.UnknownResource);
        var json = new JsonObject();
        if (statistics.Level < ResourceLevel.Series)
            json["CountSeries"] = statistics.Series;
        if (statistics.Level < ResourceLevel.Study)
            json["CountStudies"] = statistics.Studies;
        if (statistics.Level < ResourceLevel.Instance)
            json["CountInstances"] = statistics.Instances;
        AddSize(json, "DicomDiskSize", statistics.DicomDiskSize);
        AddSize(json, "DicomUncompressedSize", statistics.DicomUncompressedSize);
        AddSize(json, "DiskSize", statistics.DiskSize);
        AddSize(json, "UncompressedSize", statistics.UncompressedSize);
        return OrthancResponses.Json(ResourceJson.Sorted(json));
    }

    private static void AddSize(JsonObject json, string name, long bytes)
    {
        json[name] = bytes.ToString(CultureInfo.InvariantCulture);
        json[name + "MB"] = bytes / MegaByte;
    }
}
