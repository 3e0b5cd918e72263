using NetfilterExporter.Iptables;

namespace NetfilterExporter.Nftables;

/// <summary>One nftables table as <c>nft -j list table</c> printed it: chains, then each chain's rules in order.</summary>
/// <param name="NftVersion">The nft that printed it, from the metainfo object.</param>
public sealed record NftTable(IpFamily Family, string Name, IReadOnlyList<NftChain> Chains, IReadOnlyList<NftRule> Rules, string? NftVersion)
{
    public IEnumerable<NftRule> RulesOf(string chain) => Rules.Where(rule => rule.Chain == chain);

    public bool HasChain(string name) => Chains.Any(chain => chain.Name == name);
}
