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
/// <c>/{level}/{id}/metadata</c> (names; <c>?expand</c> for name → value) and
/// <c>/{level}/{id}/metadata/{name}</c>: GET (text, with an ETag <c>"revision-md5"</c>; 304 for a
/// matching If-None-Match), PUT and DELETE of user metadata (numbers 1024..65535; the server's own
/// are read-only, 403). If-Match names the revision a writer read; with CheckRevisions it is
/// required. As Orthanc 1.10.1, a write logs an UpdatedMetadata change.
/// </summary>
internal static class MetadataRoutes
{
    public static void Map(IEndpointRouteBuilder routes, DicomScriptServer archive)
    {
        var names = new MetadataNames(archive.Configuration.UserMetadata);
        foreach (var level in Enum.GetValues<ResourceLevel>())
        {
            var prefix = "/" + ResourceLevels.PluralOf(level) + "/{id}/metadata";
            routes.MapGet(prefix, (HttpContext context, string id) => List(context, archive, names, level, id));
            routes.MapGet(prefix + "/{name}", (HttpContext context, string id, string name) => Get(context, archive, names, level, id, name));
            routes.MapPut(prefix + "/{name}", (HttpContext context, string id, string name) => PutAsync(context, archive, names, id, name));
            routes.MapDelete(prefix + "/{name}", (HttpContext context, string id, string name) => Delete(context, archive, names, id, name));
        }
    }

    private static IResult List(HttpContext context, DicomScriptServer archive, MetadataNames names, ResourceLevel level, string id)
    {
        if (archive.Index.AllMetadata(id, level) is not { } metadata)
            return OrthancResponses.Error(context, OrthancError.UnknownResource);
        if (!context.Request.Query.ContainsKey("expand"))
            return OrthancResponses.Json(new JsonArray([.. metadata.Select(m => (JsonNode)names.NameOf(m.Type))]));
        var expanded = new JsonObject();
        foreach (var (type, value) in metadata)
            expanded[names.NameOf(type)] = value;
        return OrthancResponses.Json(ResourceJson.Sorted(expanded));
    }

    private static IResult Get(HttpContext context, DicomScriptServer archive, MetadataNames names, ResourceLevel level, string id, string name)
    {
        if (names.NumberOf(name) is not { } type)
            return OrthancResponses.Error(context, OrthancError.InexistentItem);
        var read = archive.Index.ReadMetadata(id, level, type);
        if (!read.ResourceFound)
            return OrthancResponses.Error(context, OrthancError.UnknownResource);
        if (read.Value is null)
            return Results.NotFound();
        var revision = new MetadataRevision(read.Revision, MetadataRevision.Md5Of(read.Value));
        context.Response.Headers.ETag = ETagOf(revision);
        if (!TryReadRevision(context, "If-None-Match", out var known, out var error))
            return error;
        return known == revision ? Results.StatusCode(StatusCodes.Status304NotModified) : Results.Text(read.Value, "text/plain");
    }

    private static async Task<IResult> PutAsync(HttpContext context, DicomScriptServer archive, MetadataNames names, string id, string name)
    {
        if (names.NumberOf(name) is not { } type)
            return OrthancResponses.Error(context, OrthancError.InexistentItem);
        var value = await RequestBody.ReadTextAsync(context).ConfigureAwait(false);
        if (type < SqliteIndex.FirstUserMetadata)
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        if (!TryReadRevision(context, "if-match", out var expected, out var error))
            return error;
        // With CheckRevisions a writer that names no revision may only create the value (an
        // impossible revision makes overwriting fail, as in Orthanc).
        if (expected is null && archive.Configuration.CheckRevisions)
            expected = new MetadataRevision(-1, "");
        var written = archive.Index.WriteMetadata(id, type, value, expected);
        switch (written.Status)
        {
            case MetadataWriteStatus.UnknownResource:
                return OrthancResponses.Error(context, OrthancError.UnknownResource);
            case MetadataWriteStatus.RevisionMismatch:
                return OrthancResponses.Error(context, OrthancError.Revision);
            default:
                context.Response.Headers.ETag = ETagOf(new MetadataRevision(written.Revision, MetadataRevision.Md5Of(value)));
                return Results.Text("", "text/plain");
        }
    }

    private static IResult Delete(HttpContext context, DicomScriptServer archive, MetadataNames names, string id, string name)
    {
        if (names.NumberOf(name) is not { } type)
            return OrthancResponses.Error(context, OrthancError.InexistentItem);
        if (type < SqliteIndex.FirstUserMetadata)
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        if (!TryReadRevision(context, "if-match", out var expected, out var error))
            return error;
        if (expected is null && archive.Configuration.CheckRevisions)
            return OrthancResponses.Error(context, OrthancError.Revision, "HTTP header \"If-Match\" is missing, as \"CheckRevisions\" is \"true\"");
        return archive.Index.DeleteMetadata(id, type, expected) switch
        {
            MetadataWriteStatus.Written => Results.Text("", "text/plain"),
            MetadataWriteStatus.RevisionMismatch => OrthancResponses.Error(context, OrthancError.Revision),
            _ => OrthancResponses.Error(context, OrthancError.UnknownResource),
        };
    }

    private static string ETagOf(MetadataRevision revision) => $"\"{revision.Revision.ToString(CultureInfo.InvariantCulture)}-{revision.Md5}\"";

    /// <summary>
    /// Reads an ETag header (<c>"revision-md5"</c>, quotes optional): false with the error answer
    /// when it is there but malformed; a missing header gives a null revision. The name is spelled
    /// in the error as Orthanc spells it (If-None-Match, if-match).
    /// </summary>
    private static bool TryReadRevision(HttpContext context, string header, out MetadataRevision? revision, out IResult error)
    {
        revision = null;
        error = Results.Empty;
        if (!context.Request.Headers.TryGetValue(header, out var values))
            return true;
        var text = values.ToString().Trim().Trim('"');
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0 && long.TryParse(text.AsSpan(0, dash), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            revision = new MetadataRevision(number, text[(dash + 1)..]);
            return true;
        }

        error = OrthancResponses.Error(context, OrthancError.ParameterOutOfRange,
            $"The \"{header}\" HTTP header should contain the ETag (revision followed by MD5 hash), but found: {text}");
        return false;
    }
}
