using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using NetfilterExporter.Configuration;

namespace NetfilterExporter.Logging;

/// <summary>--log.level and --log.format applied to a logging builder; logs go to stderr so `check` keeps stdout clean.</summary>
public static class LoggingSetup
{
    public static void Apply(ILoggingBuilder logging, ExporterOptions options)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(options.LogLevel);
        // ASP.NET's own per-request chatter is noise for an exporter scraped every 15 seconds.
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", options.LogLevel);
        if (options.LogFormat == LogFormat.Json)
        {
            logging.AddJsonConsole(console => console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ");
        }
        else
        {
            logging.AddConsole(console => console.FormatterName = LogfmtConsoleFormatter.FormatterName);
            // Registered directly: AddConsoleFormatter binds options through reflection, which trimming breaks.
            logging.Services.AddSingleton<ConsoleFormatter, LogfmtConsoleFormatter>();
        }
        logging.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
    }
}
