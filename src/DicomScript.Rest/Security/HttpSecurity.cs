using System.Net;
using System.Security.Cryptography;
using System.Text;
using DicomScript.Server.Configuration;
using Microsoft.AspNetCore.Http;

namespace DicomScript.Rest.Security;

/// <summary>
/// Orthanc's HTTP access rules. With RemoteAccessAllowed false (the default) only a client at
/// 127.0.0.1 or ::1 is served; others get 401, as Orthanc answers them. With authentication on
/// (AuthenticationEnabled, which defaults to RemoteAccessAllowed), every request needs HTTP Basic
/// credentials of a RegisteredUsers entry. Unlike Orthanc, no default "orthanc"/"orthanc" user is
/// ever created: with no users declared, nobody gets in, and the start-up says so.
/// </summary>
public sealed class HttpSecurity
{
    /// <summary>The realm Orthanc announces; clients and scripts written for Orthanc may expect it.</summary>
    public const string Realm = "Orthanc Secure Area";

    /// <summary>Where the authenticated user name is kept for the request (HttpUsername metadata).</summary>
    public const string UsernameItem = "DicomScript.Username";

    private readonly bool _remoteAccessAllowed;
    private readonly bool _authenticationEnabled;
    private readonly Dictionary<string, byte[]> _users;

    public HttpSecurity(OrthancConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _remoteAccessAllowed = configuration.RemoteAccessAllowed;
        _authenticationEnabled = configuration.AuthenticationEnabled;
        _users = configuration.RegisteredUsers.ToDictionary(u => u.Key, u => Encoding.UTF8.GetBytes(u.Value), StringComparer.Ordinal);
    }

    /// <summary>The warnings to log at start for setups that are insecure or that lock everyone out.</summary>
    public static IReadOnlyList<string> StartupWarnings(OrthancConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var warnings = new List<string>();
        if (configuration.RemoteAccessAllowed && !configuration.AuthenticationEnabled)
            warnings.Add("====> Remote access is allowed while authentication is disabled: anyone who can reach the HTTP port can read and delete the archive. This setup is INSECURE <====");
        if (configuration.AuthenticationEnabled && configuration.RegisteredUsers.Count == 0)
            warnings.Add("====> HTTP authentication is enabled but \"RegisteredUsers\" is empty: every HTTP request will be refused (401). Declare users in \"RegisteredUsers\" <====");
        if (configuration.ExecuteLuaEnabled)
            warnings.Add("====> Lua script execution is enabled (ExecuteLuaEnabled): POST /tools/execute-script runs any code as this server's user; keep it for prototyping on a server nobody else reaches <====");
        return warnings;
    }

    /// <summary>Serves the request when allowed; otherwise answers 401 with Orthanc's realm.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (!_remoteAccessAllowed && !IsLocal(context.Connection.RemoteIpAddress))
        {
            Refuse(context);
            return;
        }

        if (_authenticationEnabled)
        {
            var user = Authenticate(context.Request.Headers.Authorization.ToString());
            if (user is null)
            {
                Refuse(context);
                return;
            }

            context.Items[UsernameItem] = user;
        }

        await next(context).ConfigureAwait(false);
    }

    // Orthanc counts only 127.0.0.1 as local (other 127.x addresses are remote), and ::1 with IPv6.
    private static bool IsLocal(IPAddress? address)
    {
        if (address is null)
            return false;
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        return address.Equals(IPAddress.Loopback) || address.Equals(IPAddress.IPv6Loopback);
    }

    private string? Authenticate(string header)
    {
        const string scheme = "Basic ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            return null;
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[scheme.Length..].Trim()));
        }
        catch (FormatException)
        {
            return null;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || !_users.TryGetValue(decoded[..colon], out var expected))
            return null;
        // Constant time, so the answer's delay tells nothing about the password.
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(decoded[(colon + 1)..]), expected) ? decoded[..colon] : null;
    }

    private static void Refuse(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = $"Basic realm=\"{Realm}\"";
    }
}
