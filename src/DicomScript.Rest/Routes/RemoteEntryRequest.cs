using System.Text.Json.Nodes;
using DicomScript.Server;
using DicomScript.Server.Configuration;
using Microsoft.AspNetCore.Http;

namespace DicomScript.Rest.Routes;

/// <summary>
/// <c>PUT /modalities/{name}</c> and <c>PUT /peers/{name}</c>: the body is the entry in either of
/// the configuration's forms; an empty text/plain answer when it is kept, Orthanc's 400 answers
/// (and Details) when the body or the name is not acceptable.
/// </summary>
internal static class RemoteEntryRequest
{
    public static async Task<IResult> PutAsync<T>(HttpContext context, string name, Func<string, JsonNode?, T> parse, Action<T> save)
    {
        if (!RequestBody.TryParseJson(await RequestBody.ReadTextAsync(context).ConfigureAwait(false), out var body))
            return OrthancResponses.Error(context, OrthancError.BadFileFormat);

        try
        {
            save(parse(name, body));
            return Results.Text("", "text/plain");
        }
        catch (ConfigurationException ex)
        {
            return OrthancResponses.Error(context, ex.Error, ex.Details);
        }
    }
}
