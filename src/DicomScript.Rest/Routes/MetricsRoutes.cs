using System.Globalization;
using System.Text;
using DicomScript.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DicomScript.Rest.Routes;

/// <summary>
/// <c>GET /tools/metrics-prometheus</c>: Orthanc's archive and job metrics in Prometheus' text
/// format, and ours for the Lua engine: the events waiting for the scripts (the dispatcher's
/// backlog) and the memory the Lua state holds.
/// </summary>
internal static class MetricsRoutes
{
    private const double MegaBytes = 1024 * 1024;

    public static void Map(IEndpointRouteBuilder routes, DicomScriptServer archive)
    {
        routes.MapGet("/tools/metrics-prometheus", () =>
        {
            var statistics = archive.Index.Statistics();
            var (pending, running, success, failure) = archive.Jobs.Statistics();
            var metrics = new List<(string Name, double Value)>
            {
                ("orthanc_disk_size_mb", statistics.TotalDiskSize / MegaBytes),
                ("orthanc_uncompressed_size_mb", statistics.TotalUncompressedSize / MegaBytes),
                ("orthanc_count_patients", statistics.Patients),
                ("orthanc_count_studies", statistics.Studies),
                ("orthanc_count_series", statistics.Series),
                ("orthanc_count_instances", statistics.Instances),
                ("orthanc_jobs_pending", pending),
                ("orthanc_jobs_running", running),
                ("orthanc_jobs_completed", success + failure),
                ("orthanc_jobs_success", success),
                ("orthanc_jobs_failed", failure),
            };
            if (archive.Hooks.Status is { } lua)
            {
                metrics.Add(("dicomscript_lua_events_pending", lua.PendingEvents));
                metrics.Add(("dicomscript_lua_memory_mb", lua.MemoryBytes / MegaBytes));
            }

            var text = new StringBuilder();
            foreach (var (name, value) in metrics)
                text.Append(name).Append(' ').Append(value.ToString("0.###", CultureInfo.InvariantCulture)).Append('\n');
            return Results.Text(text.ToString(), "text/plain; version=0.0.4");
        });
    }
}
