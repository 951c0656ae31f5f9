using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace DicomScript.Network.Tests.Support;

/// <summary>Keeps every log line, so tests can check that a failure was logged.</summary>
public sealed class ListLogger : ILogger
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue($"{logLevel}: {formatter(state, exception)}{(exception is null ? "" : " | " + exception.Message)}");

    public bool Contains(string text) => Lines.Any(l => l.Contains(text, StringComparison.OrdinalIgnoreCase));
}
