using NetfilterExporter.Collection;
using NetfilterExporter.Configuration;
using NetfilterExporter.DumpSources;
using NetfilterExporter.Iptables;

namespace NetfilterExporter.HostPorts;

/// <summary>
/// The iptables source's collectors: one <c>iptables_&lt;backend&gt;_&lt;family&gt;</c> per nat table, and
/// <c>iptables</c>, which stands in for them when auto finds no save command at all.
/// </summary>
public static class IptablesCollectors
{
    public static IReadOnlyList<CollectorRegistration> All { get; } =
        [.. RuleSource.Iptables.Select(Registration), new(NoSaveCommandCollector.CollectorName, true,
            "Fails when --iptables.backends=auto finds no save command at all, so that a node without one is not taken for healthy.", StandIn, Switchable: false)];

    private static CollectorRegistration Registration(RuleSource source) => new(
        source.CollectorName,
        true,
        $"Read the {source} nat table with {source.SaveCommand} (default: when --iptables.backends and --iptables.families include it and, with auto, the command is installed).",
        context => context.Shared(Look).BySource[source] is { } dumps ? new IptablesCollector(dumps) : null,
        (options, on) => Conflict(options, source, on));

    /// <summary>
    /// Where each enabled table is read in this collection, looked up once for all of them, so the stand-in and the
    /// table collectors never disagree about a save command that appears or goes meanwhile.
    /// </summary>
    private static TableSources Look(CollectorContext context)
    {
        var dumps = new DumpSourceSet(context.Options, new LegacyNatTableLookup());
        return new TableSources(RuleSource.Iptables.ToDictionary(
            source => source,
            source => context.IsEnabled(source.CollectorName) ? dumps.For(source, context.IsExplicit(source.CollectorName)) : null));
    }

    // Also where nft lists portmap's nftables tables: the MicroK8s snap ships its own iptables, so a host without
    // iptables-save may still hold legacy rules nobody reads. A node that has only nftables switches the four off.
    private static ICollector? StandIn(CollectorContext context) =>
        context.Options.DumpFiles.Count == 0
        && RuleSource.Iptables.Any(source => context.IsEnabled(source.CollectorName))
        && context.Shared(Look).BySource.Values.All(dumps => dumps is null)
            ? new NoSaveCommandCollector(DumpSourceSet.SearchedPlaces)
            : null;

    private static string? Conflict(ExporterOptions options, RuleSource source, bool on)
    {
        var dumpFile = options.DumpFiles.FirstOrDefault(file => file.Source == source);
        if (on)
        {
            // With saved dumps, only the dumps count: --iptables.backends and --iptables.families do not apply to them.
            return options.DumpFiles.Count > 0 ? dumpFile is null ? $"--{Flags.FromFile}, which gives no {source} dump" : null
                : !options.AutoBackends && !options.RuleSources.Any(listed => listed.Backend == source.Backend) ? $"--{Flags.Backends}, which leaves out {source.BackendLabel}"
                : !options.RuleSources.Any(listed => listed.Family == source.Family) ? $"--{Flags.Families}, which leaves out {source.FamilyLabel}"
                : null;
        }
        return dumpFile is not null ? $"--{Flags.FromFile}={dumpFile.Path}"
            : options.SaveCommandOverrides.TryGetValue(source, out var path) ? $"--{Flags.SaveCommandPrefix}{source.BackendLabel}-{source.FamilyLabel}={path}"
            : null;
    }

    /// <summary>Each table's dump source in one collection; null where there is nothing to read.</summary>
    private sealed record TableSources(IReadOnlyDictionary<RuleSource, IDumpSource?> BySource);
}
