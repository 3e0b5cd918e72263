using NetfilterExporter.Iptables;
using NetfilterExporter.Nftables;

namespace NetfilterExporter.HostPorts;

/// <summary>The rules behind one claim, in the terms of the backend that holds them.</summary>
public abstract record ClaimRule
{
    /// <param name="Entry">The jump in CNI-HOSTPORT-DNAT that leads to the DNAT rule; null when the DNAT rule sits in CNI-HOSTPORT-DNAT itself.</param>
    public sealed record Iptables(NatRule Dnat, NatRule? Entry) : ClaimRule;

    /// <summary>portmap's nftables rule, named by its handle, and the sandbox's rules in the <c>masquerading</c> chain.</summary>
    /// <param name="Dnat">The DNAT rule as listed: a repair compares it with the rule its handle holds just before deleting.</param>
    /// <param name="Masquerades">The rules of the <c>masquerading</c> chain that carry the same sandbox id.</param>
    public sealed record Nftables(NftRule Dnat, IReadOnlyList<NftRule> Masquerades) : ClaimRule
    {
        public string Chain => Dnat.Chain;

        public long Handle => Dnat.Handle;

        public IReadOnlyList<long> MasqueradeHandles => [.. Masquerades.Select(rule => rule.Handle)];
    }
}
