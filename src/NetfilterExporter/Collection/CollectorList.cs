using Microsoft.Extensions.Logging;
using NetfilterExporter.Configuration;
using NetfilterExporter.Conntrack;
using NetfilterExporter.Cri;
using NetfilterExporter.DumpSources;
using NetfilterExporter.HostPorts;

namespace NetfilterExporter.Collection;

/// <summary>
/// The one place that knows which collectors exist; the server and `check` both collect through it, so both
/// see the same node. The list is built anew for each collection: a save command installed after the exporter
/// started is picked up without a restart. The runtime's socket is looked for anew too, so a runtime that starts
/// after the exporter is asked from then on.
/// </summary>
public sealed class CollectorList(DumpSourceSet dumpSources, ConntrackCollector conntrack, CriEndpoint criEndpoint, string rootFs, ILogger criLogger)
{
    public static CollectorList FromOptions(ExporterOptions options, ILoggerFactory loggers) =>
        new(new DumpSourceSet(options, new LegacyNatTableLookup()), new ConntrackCollector(new ConntrackProbe(options.HostPaths)),
            // Saved dumps are from another time or node: auto asks this node's runtime only about this node's tables,
            // or every claim of an old dump would be called stale. An explicit endpoint is still asked.
            options.DumpFiles.Count > 0 && options.CriEndpoint.Mode == CriEndpointMode.Auto ? CriEndpoint.None : options.CriEndpoint,
            options.HostPaths.RootFs, loggers.CreateLogger<CriCollector>());

    public IReadOnlyList<ICollector> Current()
    {
        var collectors = dumpSources.Current().Select(ICollector (source) => new IptablesCollector(source)).ToList();
        if (collectors.Count == 0)
        {
            collectors.Add(new NoSaveCommandCollector(DumpSourceSet.SearchedPlaces));
        }
        collectors.Add(conntrack);
        if (criEndpoint.Resolve(rootFs) is { Count: > 0 } sockets)
        {
            collectors.Add(new CriCollector(sockets, criLogger));
        }
        return collectors;
    }
}
