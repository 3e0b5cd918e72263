using Microsoft.Extensions.Logging;

namespace NetfilterExporter.Tests.Repair;

/// <summary>Keeps every line logged, formatted, so a test can read what a repair said it changed.</summary>
/// <param name="logged">Called with each line as it is logged, to act at a chosen moment of the repair.</param>
internal sealed class RecordingLogger(Action<string>? logged = null) : ILogger
{
    private readonly List<string> lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (lines)
            {
                return [.. lines];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var line = $"{logLevel}: {formatter(state, exception)}";
        lock (lines)
        {
            lines.Add(line);
        }
        logged?.Invoke(line);
    }
}
