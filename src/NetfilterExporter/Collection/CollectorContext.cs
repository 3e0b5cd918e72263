using Microsoft.Extensions.Logging;
using NetfilterExporter.Configuration;

namespace NetfilterExporter.Collection;

/// <summary>What a collector's factory may use: the options, which collectors are on, and a logger factory.</summary>
public sealed class CollectorContext(ExporterOptions options, IReadOnlySet<string> enabled, ILoggerFactory loggers)
{
    public ExporterOptions Options => options;

    public ILoggerFactory Loggers => loggers;

    public bool IsEnabled(string collector) => enabled.Contains(collector);

    /// <summary>True when <c>--collector.&lt;name&gt;</c> was given: a source that cannot be read then fails instead of being skipped.</summary>
    public bool IsExplicit(string collector) => options.CollectorSwitches.TryGetValue(collector, out var on) && on;
}
