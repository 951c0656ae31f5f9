using System.Text.Json.Nodes;
using NUnit.Framework;

namespace DicomScript.Rest.Tests.Support;

/// <summary>Submitting a job asynchronously and waiting for its end, on ours or on Orthanc.</summary>
internal static class JobPolling
{
    /// <summary>What differs between two servers' jobs: IDs and times.</summary>
    public static readonly HashSet<string> Volatile =
        ["/ID", "/Path", "/CreationTime", "/CompletionTime", "/Timestamp", "/EffectiveRuntime", "/EstimatedTimeOfArrival"];

    /// <summary>Sends <paramref name="request"/> (an asynchronous submission: <c>{ID, Path}</c> answered), then polls the job until it has finished.</summary>
    public static async Task<JsonNode> FinishedJobAsync(HttpClient client, HttpRequestMessage request)
    {
        string id;
        using (request)
        {
            using var response = await client.SendAsync(request);
            var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            id = answer["ID"]!.GetValue<string>();
            Assert.That(answer["Path"]!.GetValue<string>(), Is.EqualTo($"/jobs/{id}"));
        }

        return await FinishedJobAsync(client, id);
    }

    /// <summary>Polls the job <paramref name="id"/> until it has finished.</summary>
    public static async Task<JsonNode> FinishedJobAsync(HttpClient client, string id)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var job = await CorpusPair.GetJsonAsync(client, $"jobs/{id}");
            if (job!["State"]!.GetValue<string>() is "Success" or "Failure")
            {
                Assert.That(CorpusPair.Ids(await CorpusPair.GetJsonAsync(client, "jobs")), Does.Contain(id));
                return job;
            }

            await Task.Delay(100);
        }

        Assert.Fail("the job did not finish within 30 s");
        return null!;
    }
}
