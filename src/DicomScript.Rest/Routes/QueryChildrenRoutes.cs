using System.Text.Json.Nodes;
using DicomScript.Server;
using DicomScript.Server.Remote;
using DicomScript.Storage.Identifiers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DicomScript.Rest.Routes;

/// <summary>
/// <c>POST /queries/{id}/answers/{i}/query-studies|query-series|query-instances</c>: a new C-FIND
/// below one answer (<c>{Query, Timeout}</c>), naming the answer by its identifiers as a C-MOVE
/// would, at the parent query's modality and Normalize; answered <c>{ID, Path}</c> like a query.
/// </summary>
internal static class QueryChildrenRoutes
{
    public static void Map(IEndpointRouteBuilder routes, DicomScriptServer archive)
    {
        foreach (var (level, route) in new[] { (ResourceLevel.Study, "query-studies"), (ResourceLevel.Series, "query-series"), (ResourceLevel.Instance, "query-instances") })
        {
            routes.MapPost($"/queries/{{id}}/answers/{{index}}/{route}", (HttpContext context, string id, string index) =>
                QueryChildrenAsync(context, archive, id, index, level));
        }
    }

    private static async Task<IResult> QueryChildrenAsync(HttpContext context, DicomScriptServer archive, string id, string index, ResourceLevel level)
    {
        try
        {
            var parent = archive.Queries.Get(id) ?? throw new RestRequestException(OrthancError.UnknownResource, "");
            var answer = QueryRoutes.RequireAnswer(parent, index);
            if (parent.Level >= level)
                throw new RestRequestException(OrthancError.UnknownResource, "");
            var request = await RequestBody.ReadObjectAsync(context).ConfigureAwait(false)
                ?? throw new RestRequestException(OrthancError.BadFileFormat, "Must provide a JSON object");
            var timeout = JobRequests.UnsignedInteger(request, "Timeout") ?? parent.Timeout;
            var keys = QueryRoutes.Keys(request["Query"] as JsonObject);

            // The answer's identifiers at its level (those a C-MOVE sends) replace any in the query.
            foreach (var tag in RemoteMove.KeysAt(parent.Level))
            {
                keys.RemoveAll(k => k.Tag == tag);
                if (answer.GetString(tag) is { } value)
                    keys.Add((tag, value));
            }

            var query = new ModalityQuery(parent.Modality, level, keys, parent.Normalize, archive.Configuration.DicomAet, timeout);
            return await QueryRoutes.RunAsync(context, archive, query).ConfigureAwait(false);
        }
        catch (RestRequestException ex)
        {
            return ex.Answer(context);
        }
    }
}
