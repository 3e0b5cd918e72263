using Microsoft.Extensions.Logging;
using NetfilterExporter.Configuration;

namespace NetfilterExporter.Collection;

/// <summary>Wires a <see cref="NodeCollector"/> from the options; shared by the server and `check`.</summary>
public static class NodeCollectorFactory
{
    public static NodeCollector Create(ExporterOptions options, ILoggerFactory loggers, TimeProvider clock) =>
        new(
            CollectorList.FromOptions(options, loggers),
            options.CollectorTimeout,
            new CollectorFailureLog(loggers.CreateLogger<CollectorFailureLog>()),
            clock);
}
