using DicomScript.Rest.Security;
using DicomScript.Server.Ingest;
using Microsoft.AspNetCore.Http;

namespace DicomScript.Rest;

/// <summary>Where a REST request comes from, for what it stores: "Lua" from Lua's RestApi*, else "RestApi" with the client's address and user.</summary>
internal static class RequestOrigins
{
    public static InstanceOrigin Of(HttpContext context) => context.Items.ContainsKey(InProcessRestApi.Item)
        ? InstanceOrigin.Lua
        : InstanceOrigin.Rest(context.Connection.RemoteIpAddress?.ToString() ?? "", context.Items[HttpSecurity.UsernameItem] as string ?? "");
}
