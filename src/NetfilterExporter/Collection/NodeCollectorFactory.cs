using Microsoft.Extensions.Logging;
using NetfilterExporter.Configuration;
using NetfilterExporter.Processes;

namespace NetfilterExporter.Collection;

/// <summary>Wires a <see cref="NodeCollector"/> from the options; shared by the server and `check`.</summary>
public static class NodeCollectorFactory
{
    public static NodeCollector Create(ExporterOptions options, IProcessRunner runner, ILoggerFactory loggers, TimeProvider clock) =>
        new(
            CollectorList.FromOptions(options, runner),
            options.CollectorTimeout,
            new CollectorFailureLog(loggers.CreateLogger<CollectorFailureLog>()),
            clock);
}
