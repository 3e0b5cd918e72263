using System.Globalization;
using Microsoft.Extensions.Logging;

namespace NetfilterExporter.Logging;

/// <summary>
/// One log record, in the fields Prometheus exporters log: ts, level, source and msg, then <paramref name="Fields"/>
/// (err and the message template's keys, <see cref="LogFields"/>).
/// </summary>
public sealed record LogLine(DateTimeOffset Timestamp, LogLevel Level, string Source, string Message, IReadOnlyList<LogField> Fields)
{
    public string TimestampText => Timestamp.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    public string LevelName => Level switch
    {
        LogLevel.Trace or LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        _ => "error",
    };
}
