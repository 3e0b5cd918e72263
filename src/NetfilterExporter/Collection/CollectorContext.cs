using Microsoft.Extensions.Logging;
using NetfilterExporter.Configuration;

namespace NetfilterExporter.Collection;

/// <summary>
/// What a collector's factory may use in one collection: the options, which collectors are on, a logger factory, the
/// clock, and what the source's factories look up once for all of them.
/// </summary>
public sealed class CollectorContext(ExporterOptions options, IReadOnlySet<string> enabled, ILoggerFactory loggers, TimeProvider clock)
{
    private readonly Dictionary<Type, object> shared = [];

    public ExporterOptions Options => options;

    public ILoggerFactory Loggers => loggers;

    public TimeProvider Clock => clock;

    public bool IsEnabled(string collector) => enabled.Contains(collector);

    /// <summary>True when <c>--collector.&lt;name&gt;</c> was given: a source that cannot be read then fails instead of being skipped.</summary>
    public bool IsExplicit(string collector) => options.CollectorSwitches.TryGetValue(collector, out var on) && on;

    /// <summary>
    /// One lookup per collection that several collectors of a source share (which save commands are installed), so that
    /// they all see the node as it was at one moment. Factories run one after another, so no lock is needed.
    /// </summary>
    public T Shared<T>(Func<CollectorContext, T> lookUp)
        where T : class
    {
        if (!shared.TryGetValue(typeof(T), out var found))
        {
            shared[typeof(T)] = found = lookUp(this);
        }
        return (T)found;
    }
}
