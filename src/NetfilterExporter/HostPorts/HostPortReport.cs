using NetfilterExporter.Iptables;
using NetfilterExporter.Nftables;

namespace NetfilterExporter.HostPorts;

/// <summary>The hostPort view of one backend and family's nat table.</summary>
/// <param name="ChainRules">Rule counts of the shared CNI-HOSTPORT-* chains that exist.</param>
/// <param name="OrphanChains">CNI-DN-* chains no rule jumps to: residue of a flush or a lost CNI DEL.</param>
public sealed record HostPortReport(
    IReadOnlyList<HostPortClaims> Ports,
    IReadOnlyDictionary<string, int> ChainRules,
    IReadOnlyList<string> OrphanChains,
    int NatRules)
{
    /// <summary>A table without portmap's chains, or no table at all.</summary>
    public static HostPortReport Empty { get; } = new([], new Dictionary<string, int>(), [], 0);

    /// <summary>
    /// The iptables table's CNI-* chains with their rules as saved (empty for nftables): what a repair compares with a
    /// second read before it deletes, and what a verification reads after. The parser's own dictionary, kept, not copied.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<NatRule>> CniChains { get; init; } = new Dictionary<string, IReadOnlyList<NatRule>>();

    /// <summary>Every rule of portmap's nftables table as listed (empty for iptables), for the same purposes.</summary>
    public IReadOnlyList<NftRule> NftRules { get; init; } = [];

    /// <summary>portmap's CNI-HOSTPORT-DNAT chain (iptables) or hostports chain (nftables) exists: this table is where hostPort rules would be.</summary>
    public bool DnatChainPresent => ChainRules.ContainsKey(HostPortAnalyzer.DnatChain) || ChainRules.ContainsKey(PortmapNftAnalyzer.HostPortsChain);
}
