using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using DicomScript.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace DicomScript.Rest;

/// <summary>Answers written the way Orthanc writes them: JSON indented by 3 spaces, UTF-8 unescaped.</summary>
internal static class OrthancResponses
{
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        IndentSize = 3,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static IResult Json(JsonNode? node) => Results.Text((node?.ToJsonString(Indented) ?? "null") + "\n", "application/json; charset=utf-8");

    /// <summary>
    /// Configured items as Orthanc lists them (<c>/modalities</c>, <c>/peers</c>): their names in
    /// order, or with <c>?expand</c> an object of name → <paramref name="expand"/>.
    /// </summary>
    public static IResult NamedList<T>(HttpContext context, IEnumerable<T> items, Func<T, string> name, Func<T, JsonNode> expand)
    {
        var sorted = items.OrderBy(name, StringComparer.Ordinal).ToList();
        if (!context.Request.Query.ContainsKey("expand"))
            return Json(new JsonArray([.. sorted.Select(i => (JsonNode)name(i))]));
        var expanded = new JsonObject();
        foreach (var item in sorted)
            expanded[name(item)] = expand(item);
        return Json(expanded);
    }

    /// <summary>
    /// Orthanc's error body: <c>{HttpError, HttpStatus, Message, Method, OrthancError, OrthancStatus, Uri}</c>,
    /// with the code's usual HTTP status unless <paramref name="httpStatus"/> says otherwise.
    /// </summary>
    public static IResult Error(HttpContext context, OrthancError error, string? details = null, int? httpStatus = null)
    {
        var status = httpStatus ?? OrthancErrors.HttpStatus(error);
        var reason = ReasonPhrases.GetReasonPhrase(status);
        var text = OrthancErrors.Describe(error);
        var body = new JsonObject
        {
            ["HttpError"] = reason,
            ["HttpStatus"] = status,
            ["Message"] = text,
            ["Method"] = context.Request.Method,
            ["OrthancError"] = text,
            ["OrthancStatus"] = (int)error,
            ["Uri"] = context.Request.Path.Value,
        };
        if (details is not null)
            body["Details"] = details;
        return Results.Text(body.ToJsonString(Indented) + "\n", "application/json; charset=utf-8", statusCode: status);
    }
}
