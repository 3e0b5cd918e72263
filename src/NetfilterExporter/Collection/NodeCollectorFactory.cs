using Microsoft.Extensions.Logging;
using NetfilterExporter.Configuration;
using NetfilterExporter.Conntrack;
using NetfilterExporter.Processes;
using NetfilterExporter.SaveCommands;

namespace NetfilterExporter.Collection;

/// <summary>Wires the collectors from the options; shared by the server and `check` so both see the same node.</summary>
public static class NodeCollectorFactory
{
    public static NodeCollector Create(ExporterOptions options, IProcessRunner runner, ILoggerFactory loggers, TimeProvider clock) =>
        new(
            new DumpSourceSet(options, runner, new LegacyTableRegistry()),
            new ConntrackProbe(options.HostPaths),
            options.CollectorTimeout,
            new CollectorFailureLog(loggers.CreateLogger<CollectorFailureLog>()),
            clock);
}
