using Microsoft.Extensions.Logging;

namespace NetfilterExporter.Logging;

/// <summary>Writes each record of one category as a line through its provider.</summary>
internal sealed class StderrLogger(string category, StderrLoggerProvider provider) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            provider.Write(new LogLine(provider.Clock.GetUtcNow(), logLevel, category, formatter(state, exception), LogFields.Of(state, exception)));
        }
    }
}
