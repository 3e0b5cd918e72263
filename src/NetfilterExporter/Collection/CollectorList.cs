using NetfilterExporter.Configuration;
using NetfilterExporter.Conntrack;
using NetfilterExporter.DumpSources;
using NetfilterExporter.HostPorts;

namespace NetfilterExporter.Collection;

/// <summary>
/// The one place that knows which collectors exist; the server and `check` both collect through it, so both
/// see the same node. The list is built anew for each collection: a save command installed after the exporter
/// started is picked up without a restart.
/// </summary>
public sealed class CollectorList(DumpSourceSet dumpSources, ConntrackCollector conntrack)
{
    public static CollectorList FromOptions(ExporterOptions options) =>
        new(new DumpSourceSet(options, new LegacyNatTableLookup()), new ConntrackCollector(new ConntrackProbe(options.HostPaths)));

    public IReadOnlyList<ICollector> Current()
    {
        var collectors = dumpSources.Current().Select(ICollector (source) => new IptablesCollector(source)).ToList();
        if (collectors.Count == 0)
        {
            collectors.Add(new NoSaveCommandCollector(DumpSourceSet.SearchedPlaces));
        }
        collectors.Add(conntrack);
        return collectors;
    }
}
