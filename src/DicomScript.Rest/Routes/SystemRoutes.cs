using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using DicomScript.Rest.Security;
using DicomScript.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace DicomScript.Rest.Routes;

/// <summary><c>GET /system</c> and <c>GET /statistics</c>.</summary>
internal static class SystemRoutes
{
    /// <summary>The Orthanc release whose REST contract we implement (DESIGN.md: compatibility baseline).</summary>
    public const string OrthancVersion = "1.10.1";

    public static void Map(IEndpointRouteBuilder routes, DicomScriptServer archive)
    {
        routes.MapGet("/system", () => OrthancResponses.Json(System(archive)));
        routes.MapGet("/statistics", () => OrthancResponses.Json(Statistics(archive)));
    }

    private static JsonObject System(DicomScriptServer archive)
    {
        var configuration = archive.Configuration;
        return new JsonObject
        {
            ["ApiVersion"] = 16,
            ["CheckRevisions"] = configuration.CheckRevisions,
            ["DatabaseBackendPlugin"] = null,
            ["DatabaseVersion"] = 6,
            ["DicomAet"] = configuration.DicomAet,
            ["DicomPort"] = configuration.DicomPort,
            ["HttpPort"] = configuration.HttpPort,
            ["IsHttpServerSecure"] = HttpSecurity.StartupWarnings(configuration).Count == 0,
            ["Name"] = configuration.Name,
            ["PluginsEnabled"] = false,
            ["Product"] = "DicomScript",
            ["ProductVersion"] = typeof(SystemRoutes).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0",
            ["StorageAreaPlugin"] = null,
            ["Version"] = OrthancVersion,
        };
    }

    // Sizes are strings in Orthanc's answer (64-bit values), the MB figures integers.
    private static JsonObject Statistics(DicomScriptServer archive)
    {
        var statistics = archive.Index.Statistics();
        return new JsonObject
        {
            ["CountInstances"] = statistics.Instances,
            ["CountPatients"] = statistics.Patients,
            ["CountSeries"] = statistics.Series,
            ["CountStudies"] = statistics.Studies,
            ["TotalDiskSize"] = statistics.TotalDiskSize.ToString(CultureInfo.InvariantCulture),
            ["TotalDiskSizeMB"] = statistics.TotalDiskSize / (1024 * 1024),
            ["TotalUncompressedSize"] = statistics.TotalUncompressedSize.ToString(CultureInfo.InvariantCulture),
            ["TotalUncompressedSizeMB"] = statistics.TotalUncompressedSize / (1024 * 1024),
        };
    }
}
