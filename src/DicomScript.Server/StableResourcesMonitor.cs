using DicomScript.Storage.Index;
using Microsoft.Extensions.Logging;

namespace DicomScript.Server;

/// <summary>
/// Marks patients, studies and series stable once StableAge seconds pass without a new instance
/// (checked every half second, as Orthanc does), logging StableX changes in the index.
/// </summary>
public sealed partial class StableResourcesMonitor : IAsyncDisposable
{
    private readonly SqliteIndex _index;
    private readonly TimeSpan _stableAge;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public StableResourcesMonitor(SqliteIndex index, TimeSpan stableAge, ILogger logger)
    {
        _index = index;
        _stableAge = stableAge;
        _logger = logger;
    }

    public void Start() => _loop = Task.Run(LoopAsync);

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
                Check();
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    /// <summary>One check (also used by tests): resources untouched for longer than StableAge become stable.</summary>
    public IReadOnlyList<Change> Check()
    {
        // Timestamps have one-second resolution: "older than StableAge" means strictly before now - StableAge.
        var changes = _index.MarkStable(SqliteIndex.Timestamp(DateTime.UtcNow - _stableAge));
        foreach (var change in changes)
            LogStable(_logger, change.ResourceType.ToString(), change.PublicId);
        return changes;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    // Debug (shown with --verbose), as Orthanc: three lines for every patient sent otherwise.
    [LoggerMessage(2300, LogLevel.Debug, "{Level} {PublicId} is stable")]
    private static partial void LogStable(ILogger logger, string level, string publicId);
}
