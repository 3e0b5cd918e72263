using NetfilterExporter.Iptables;

namespace NetfilterExporter.HostPorts;

/// <summary>The rules behind one claim, in the terms of the backend that holds them.</summary>
public abstract record ClaimRule
{
    /// <param name="Entry">The jump in CNI-HOSTPORT-DNAT that leads to the DNAT rule; null when the DNAT rule sits in CNI-HOSTPORT-DNAT itself.</param>
    public sealed record Iptables(NatRule Dnat, NatRule? Entry) : ClaimRule;

    /// <summary>portmap's nftables rule, named by its handle, and the sandbox's rules in the <c>masquerading</c> chain.</summary>
    public sealed record Nftables(string Chain, long Handle, IReadOnlyList<long> MasqueradeHandles) : ClaimRule;
}
