using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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
        Func<LogLine, string> format = options.LogFormat == LogFormat.Json ? JsonLogFormat.Format : LogfmtFormat.Format;
        logging.Services.AddSingleton<ILoggerProvider>(new StderrLoggerProvider(format, Console.Error, TimeProvider.System));
    }
}
