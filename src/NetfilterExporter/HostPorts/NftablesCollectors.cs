using NetfilterExporter.Collection;
using NetfilterExporter.Configuration;
using NetfilterExporter.DumpSources;
using NetfilterExporter.Iptables;

namespace NetfilterExporter.HostPorts;

/// <summary>
/// The collectors of portmap's nftables backend: <c>nftables_ipv4</c> and <c>nftables_ipv6</c>, one per
/// <c>cni_hostport</c> table. With auto settings a node without nft is skipped silently; one switched on by name or
/// given <c>--nftables.command</c> that cannot run nft fails.
/// </summary>
public static class NftablesCollectors
{
    public static IReadOnlyList<CollectorRegistration> All { get; } = [.. RuleSource.Nftables.Select(Registration)];

    /// <summary>The nft the collectors run this time; null when there is none.</summary>
    private static string? FindNft(ExporterOptions options) =>
        options.NftCommand ?? DumpSourceSet.FindOnPath("nft");

    private static CollectorRegistration Registration(RuleSource source) => new(
        source.CollectorName,
        true,
        $"Read portmap's nftables table ({source.NftFamily} {RuleSource.NftablesTable}) with nft -j list table (default: when nft is installed; with --{Flags.FromFile}, only when switched on by name).",
        context => Create(context, source),
        (_, _) => null);

    private static ICollector? Create(CollectorContext context, RuleSource source)
    {
        var named = context.IsExplicit(source.CollectorName);
        // Saved dumps describe another node, or this one at another time: its live tables are not mixed in unasked.
        if (context.Options.DumpFiles.Count > 0 && !named)
        {
            return null;
        }
        var nft = FindNft(context.Options);
        if (nft is not null && File.Exists(nft))
        {
            return new NftablesCollector(source, nft, context.Options.CollectorTimeout);
        }
        return named || context.Options.NftCommand is not null ? new MissingNftCollector(source, nft) : null;
    }

    /// <summary>nft was asked for and is not there: fails every collection, saying so, until it appears.</summary>
    private sealed class MissingNftCollector(RuleSource source, string? configured) : ICollector
    {
        public string Name => source.CollectorName;

        public string Reads => "nft not found";

        public Task<ICollectorResult> CollectAsync(CancellationToken cancellationToken) =>
            Task.FromException<ICollectorResult>(new FileNotFoundException(configured is null
                ? $"nft not found ({DumpSourceSet.SearchedPlaces}); install nftables or set --{Flags.NftCommand}"
                : $"nft not found at --{Flags.NftCommand}={configured}"));
    }
}
