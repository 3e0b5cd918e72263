using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace NetfilterExporter.Logging;

/// <summary>logfmt lines as Prometheus exporters write them: ts=… level=… source=… msg="…".</summary>
public sealed class LogfmtConsoleFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "logfmt";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        var line = new StringBuilder(128);
        line.Append("ts=").Append(DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
        line.Append(" level=").Append(Level(logEntry.LogLevel));
        line.Append(" source=").Append(Quote(logEntry.Category));
        line.Append(" msg=").Append(Quote(message));
        if (logEntry.Exception is { } exception)
        {
            line.Append(" err=").Append(Quote(exception.Message));
        }
        textWriter.Write(line.Append('\n').ToString());
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        _ => "error",
    };

    private static string Quote(string value)
    {
        if (value.Length > 0 && value.All(c => c > ' ' && c != '"' && c != '=' && c != '\\' && c < 127))
        {
            return value;
        }
        var quoted = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => @"\\",
                '\n' => @"\n",
                _ when char.IsControl(c) => " ",
                _ => c.ToString(),
            });
        }
        return quoted.Append('"').ToString();
    }
}
