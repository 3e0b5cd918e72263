using Microsoft.Extensions.Logging;

namespace NetfilterExporter.Logging;

/// <summary>
/// Log lines to standard error, written as they happen. The exporter logs rarely (a collector's failure once,
/// its recovery once), so it needs neither the console logger's queue and thread nor its formatters, whose JSON
/// one loads System.Text.Json into every exporter (docs/performance.md). Writing in place means a stderr pipe
/// that nobody reads blocks the logging thread once its 64 KB fill; at this rate of logging that is acceptable.
/// </summary>
public sealed class StderrLoggerProvider(Func<LogLine, string> format, TextWriter output, TimeProvider clock) : ILoggerProvider
{
    private readonly Lock writing = new();

    internal TimeProvider Clock => clock;

    public ILogger CreateLogger(string categoryName) => new StderrLogger(categoryName, this);

    internal void Write(LogLine line)
    {
        var text = format(line);
        lock (writing)
        {
            try
            {
                output.Write(text);
                output.Flush();
            }
            catch (Exception exception) when (exception is IOException or ObjectDisposedException or UnauthorizedAccessException)
            {
                // Closed or full stderr (2>&-, /dev/full): the line is lost, but logging must never fail start-up,
                // a collection or a scrape.
            }
        }
    }

    public void Dispose()
    {
    }
}
