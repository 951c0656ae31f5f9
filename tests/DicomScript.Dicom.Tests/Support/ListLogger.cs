using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace DicomScript.Dicom.Tests.Support;

/// <summary>
/// Keeps every log line, so tests can check that a failure was logged. Also a logger factory whose
/// loggers all write here, for components that take one.
/// </summary>
public sealed class ListLogger : ILogger, ILoggerFactory
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue($"{logLevel}: {formatter(state, exception)}{(exception is null ? "" : " | " + exception.Message)}");

    public bool Contains(string text) => Lines.Any(l => l.Contains(text, StringComparison.OrdinalIgnoreCase));

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }
}
