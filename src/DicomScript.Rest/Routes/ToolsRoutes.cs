using System.Text.Json.Nodes;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.Uids;
using DicomScript.Server;
using DicomScript.Storage.Identifiers;
using DicomScript.Storage.Index;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DicomScript.Rest.Routes;

/// <summary>
/// <c>POST /tools/find</c> (<see cref="ToolsFind"/>), <c>POST /tools/lookup</c> (a PatientID or UID to
/// the resources that carry it), <c>GET /tools/generate-uid?level=...</c>, <c>GET /tools/now</c>
/// and <c>/tools/now-local</c>.
/// </summary>
internal static class ToolsRoutes
{
    private static readonly (ResourceLevel Level, DicomTag Tag)[] LookupIdentifiers =
    [
        (ResourceLevel.Patient, DicomTags.PatientID), (ResourceLevel.Study, DicomTags.StudyInstanceUID),
        (ResourceLevel.Series, DicomTags.SeriesInstanceUID), (ResourceLevel.Instance, DicomTags.SOPInstanceUID),
    ];

    public static void Map(IEndpointRouteBuilder routes, DicomScriptServer archive)
    {
        routes.MapPost("/tools/find", (Func<HttpContext, Task<IResult>>)(context => ToolsFind.AnswerAsync(context, archive)));
        routes.MapPost("/tools/lookup", (Func<HttpContext, Task<IResult>>)(context => LookupAsync(context, archive)));
        routes.MapGet("/tools/generate-uid", (HttpContext context) => context.Request.Query["level"].ToString() switch
        {
            // A patient gets a UUID as its PatientID (an LO, not a UID), as Orthanc does.
            "patient" => Results.Text(Guid.NewGuid().ToString(), "text/plain"),
            "study" or "series" or "instance" => Results.Text(NewUid.Generate(), "text/plain"),
            _ => Results.NotFound(),
        });
        routes.MapGet("/tools/now", () => Results.Text(SqliteIndex.Timestamp(DateTime.UtcNow), "text/plain"));
        routes.MapGet("/tools/now-local", () => Results.Text(SqliteIndex.Timestamp(DateTime.Now), "text/plain"));
    }

    // The body is the value itself, compared without case as Orthanc does; one value may name several resources.
    private static async Task<IResult> LookupAsync(HttpContext context, DicomScriptServer archive)
    {
        var value = await RequestBody.ReadTextAsync(context).ConfigureAwait(false);
        var found = new JsonArray();
        foreach (var (level, tag) in LookupIdentifiers)
        {
            foreach (var id in archive.Index.LookupIdentifier(level, tag, value))
                found.Add(new JsonObject { ["ID"] = id, ["Path"] = ResourceLevels.PathOf(level, id), ["Type"] = ResourceJson.TypeOf(level) });
        }

        return OrthancResponses.Json(found);
    }
}
