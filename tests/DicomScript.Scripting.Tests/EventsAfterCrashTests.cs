using System.Diagnostics;
using System.Globalization;
using System.Net;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Scripting.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Scripting.Tests;

/// <summary>
/// The dicomscript executable killed with -9 while OnStoredInstance events wait to be delivered:
/// after the restart every event is delivered (at least once), from the persisted change log.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class EventsAfterCrashTests
{
    private const int InstanceCount = 30;

    [Test]
    public async Task KilledWithABacklog_EveryStoredInstanceEventIsDeliveredAfterTheRestart()
    {
        var folder = Directory.CreateTempSubdirectory("lua-crash-");
        try
        {
            var log = Path.Combine(folder.FullName, "delivered.txt");
            var httpPort = ExternalTools.FreeLoopbackPort();
            // A slow callback (0.1 s an event) so a backlog builds while the uploads go fast.
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "slow.lua"), $$"""
                function OnStoredInstance(id)
                  local stop = os.clock() + 0.1
                  while os.clock() < stop do end
                  local f = io.open('{{log}}', 'a') f:write(id, '\n') f:close()
                end
                """);
            var config = Path.Combine(folder.FullName, "orthanc.json");
            await File.WriteAllTextAsync(config, $$"""
                { "HttpPort": {{httpPort}}, "DicomServerEnabled": false, "StorageDirectory": "storage", "LuaScripts": ["slow.lua"] }
                """);

            var ids = new HashSet<string>();
            using (var first = StartHost(config, httpPort))
            {
                using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/") };
                for (var i = 0; i < InstanceCount; i++)
                {
                    using var response = await http.PostAsync("instances", new ByteArrayContent(SampleInstances.Copy(i)));
                    Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                    ids.Add(System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["ID"]!.GetValue<string>());
                }

                first.Kill(entireProcessTree: true);
                await first.WaitForExitAsync();
            }

            var beforeRestart = Delivered(log);
            Assert.That(beforeRestart.Count, Is.LessThan(InstanceCount), "the test needs a backlog at the time of the kill");

            using var second = StartHost(config, httpPort);
            Assert.That(await PendingEventsAsync(httpPort), Is.GreaterThan(0), "the backlog is visible in the metrics");

            var clock = Stopwatch.StartNew();
            while (!ids.IsSubsetOf(Delivered(log)) && clock.Elapsed < TimeSpan.FromSeconds(30))
                await Task.Delay(100);
            var pendingAtTheEnd = await PendingEventsAsync(httpPort);
            second.Kill(entireProcessTree: true);

            Assert.That(Delivered(log), Is.SupersetOf(ids), $"{beforeRestart.Count} delivered before the kill");
            Assert.That(pendingAtTheEnd, Is.Zero);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task<long> PendingEventsAsync(int httpPort)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/") };
        return await LuaPolling.PendingEventsAsync(http);
    }

    private static HashSet<string> Delivered(string log) => File.Exists(log) ? [.. File.ReadAllLines(log).Where(l => l.Length > 0)] : [];

    private static Process StartHost(string config, int httpPort)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "dicomscript.dll"));
        start.ArgumentList.Add(config);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Assert.That(ExternalTools.WaitUntilListening(httpPort, TimeSpan.FromSeconds(20), () => process.HasExited), Is.True,
            "the server did not start: " + httpPort.ToString(CultureInfo.InvariantCulture));
        return process;
    }
}
