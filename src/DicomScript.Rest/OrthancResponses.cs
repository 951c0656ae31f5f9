using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace DicomScript.Rest;

/// <summary>Orthanc's error codes that the routes answer with (numbers and texts of Orthanc 1.10.1).</summary>
internal enum OrthancError
{
    ParameterOutOfRange = 3,
    BadParameterType = 5,
    InexistentItem = 7,
    BadRequest = 8,
    NetworkProtocol = 9,
    BadFileFormat = 15,
    UnknownResource = 17,
    FullStorage = 19,
    InexistentTag = 21,
    UnknownDicomTag = 27,
    Revision = 43,
}

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

    /// <summary>Orthanc's error body: <c>{HttpError, HttpStatus, Message, Method, OrthancError, OrthancStatus, Uri}</c>.</summary>
    public static IResult Error(HttpContext context, OrthancError error, string? details = null)
    {
        var (status, reason, text) = error switch
        {
            OrthancError.ParameterOutOfRange => (StatusCodes.Status400BadRequest, "Bad Request", "Parameter out of range"),
            OrthancError.BadParameterType => (StatusCodes.Status400BadRequest, "Bad Request", "Bad type for a parameter"),
            OrthancError.InexistentItem => (StatusCodes.Status404NotFound, "Not Found", "Accessing an inexistent item"),
            OrthancError.BadRequest => (StatusCodes.Status400BadRequest, "Bad Request", "Bad request"),
            OrthancError.NetworkProtocol => (StatusCodes.Status500InternalServerError, "Internal Server Error", "Error in the network protocol"),
            OrthancError.BadFileFormat => (StatusCodes.Status400BadRequest, "Bad Request", "Bad file format"),
            OrthancError.FullStorage => (StatusCodes.Status507InsufficientStorage, "Insufficient Storage", "The file storage is full"),
            OrthancError.InexistentTag => (StatusCodes.Status404NotFound, "Not Found", "Inexistent tag"),
            // Orthanc answers an unknown tag name with 500 (its default for this code); kept for compatibility.
            OrthancError.UnknownDicomTag => (StatusCodes.Status500InternalServerError, "Internal Server Error", "Unknown DICOM tag"),
            OrthancError.Revision => (StatusCodes.Status409Conflict, "Conflict", "A bad revision number was provided, which might indicate conflict between multiple writers"),
            _ => (StatusCodes.Status404NotFound, "Not Found", "Unknown resource"),
        };
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
