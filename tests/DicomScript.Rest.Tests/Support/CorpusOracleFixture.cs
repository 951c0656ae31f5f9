using System.Text.Json.Nodes;
using NUnit.Framework;

namespace DicomScript.Rest.Tests.Support;

/// <summary>A fixture with the pydicom corpus loaded into the real Orthanc and into our archive, once for all its tests.</summary>
public abstract class CorpusOracleFixture
{
    private protected CorpusPair? Pair { get; private set; }

    /// <summary>Configuration keys given to both servers.</summary>
    protected virtual JsonObject? Settings => null;

    [OneTimeSetUp]
    public async Task UploadCorpusToBoth() => Pair = await CorpusPair.StartAsync(Settings);

    [OneTimeTearDown]
    public async Task StopBoth()
    {
        if (Pair is not null)
            await Pair.DisposeAsync();
    }

    /// <summary>Our client and Orthanc's; fails (or skips locally) with a clear message when a tool is missing.</summary>
    protected (HttpClient Ours, HttpClient Theirs) Clients() => CorpusPair.Clients(Pair);
}
