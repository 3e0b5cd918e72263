using Microsoft.Extensions.Logging;
using NetfilterExporter.Collection;
using NetfilterExporter.Instrumentation;

namespace NetfilterExporter.Web;

/// <summary>
/// What the server says when it starts, as node_exporter does: its version, the node, every enabled collector, and
/// what auto found for each (a save command, a runtime socket, a MicroK8s snap), or that it found nothing to read.
/// </summary>
public static class StartupLog
{
    public static void Write(ILogger logger, BuildInfo build, NodeCollector collector)
    {
        logger.LogInformation("Starting netfilter-exporter {Version} (revision {Revision}, .NET {DotnetVersion}) on node {Node}",
            build.Version, build.Revision, build.DotnetVersion, collector.Node);
        var found = collector.Current().ToDictionary(reader => reader.Name, StringComparer.Ordinal);
        foreach (var name in collector.EnabledInOrder)
        {
            if (found.TryGetValue(name, out var reader))
            {
                logger.LogInformation("Enabled collector {Collector}: reads {Reads}", name, reader.Reads);
            }
            else
            {
                logger.LogInformation("Enabled collector {Collector}: nothing to read now, skipped until there is", name);
            }
        }
    }
}
