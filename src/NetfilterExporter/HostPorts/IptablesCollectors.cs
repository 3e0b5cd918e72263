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
        [.. RuleSource.All.Select(Registration), new(NoSaveCommandCollector.CollectorName, true,
            "Fail when --iptables.backends=auto finds no save command at all, so that a node without one is not taken for healthy.", StandIn)];

    private static CollectorRegistration Registration(RuleSource source) => new(
        source.CollectorName,
        true,
        $"Read the {source} nat table with {source.SaveCommand} (default: when --iptables.backends and --iptables.families include it and, with auto, the command is installed).",
        context => DumpSources(context).For(source, context.IsExplicit(source.CollectorName)) is { } dumps ? new IptablesCollector(dumps) : null,
        (options, on) => Conflict(options, source, on));

    private static ICollector? StandIn(CollectorContext context)
    {
        var tables = RuleSource.All.Where(source => context.IsEnabled(source.CollectorName)).ToList();
        var dumps = DumpSources(context);
        return context.Options.DumpFiles.Count == 0 && tables.Count > 0 && tables.All(source => dumps.For(source, context.IsExplicit(source.CollectorName)) is null)
            ? new NoSaveCommandCollector(DumpSourceSet.SearchedPlaces)
            : null;
    }

    private static DumpSourceSet DumpSources(CollectorContext context) => new(context.Options, new LegacyNatTableLookup());

    private static string? Conflict(ExporterOptions options, RuleSource source, bool on)
    {
        var dumpFile = options.DumpFiles.FirstOrDefault(file => file.Source == source);
        if (on)
        {
            return options.DumpFiles.Count > 0 && dumpFile is null ? $"--{Flags.FromFile}, which gives no {source} dump"
                : !options.AutoBackends && !options.RuleSources.Any(listed => listed.Backend == source.Backend) ? $"--{Flags.Backends}, which leaves out {source.BackendLabel}"
                : !options.RuleSources.Any(listed => listed.Family == source.Family) ? $"--{Flags.Families}, which leaves out {source.FamilyLabel}"
                : null;
        }
        return dumpFile is not null ? $"--{Flags.FromFile}={dumpFile.Path}"
            : options.SaveCommandOverrides.TryGetValue(source, out var path) ? $"--{Flags.SaveCommandPrefix}{source.BackendLabel}-{source.FamilyLabel}={path}"
            : null;
    }
}
