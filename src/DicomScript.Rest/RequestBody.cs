using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace DicomScript.Rest;

/// <summary>Reading a request's body, as text or as the JSON object most POST routes take.</summary>
internal static class RequestBody
{
    public static async Task<string> ReadTextAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        return await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
    }

    public static async Task<byte[]> ReadBytesAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        return buffer.ToArray();
    }

    /// <summary>Parses <paramref name="text"/> as JSON; false when it is not JSON (each route answers that its own way).</summary>
    public static bool TryParseJson(string text, out JsonNode? json)
    {
        try
        {
            json = JsonNode.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            json = null;
            return false;
        }
    }

    /// <summary>The body as a JSON object; null when it is not JSON or not an object (the route says which error).</summary>
    public static async Task<JsonObject?> ReadObjectAsync(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
