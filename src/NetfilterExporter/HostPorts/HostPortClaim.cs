using NetfilterExporter.Iptables;

namespace NetfilterExporter.HostPorts;

/// <summary>
/// One DNAT rule that traffic to a host port can reach. <see cref="Position"/> is its rank in evaluation
/// order: 1 wins, because DNAT is terminal and the first match takes the packet.
/// </summary>
/// <param name="EntryRule">The jump in CNI-HOSTPORT-DNAT that leads to the DNAT rule; null when the DNAT rule sits in CNI-HOSTPORT-DNAT itself.</param>
public sealed record HostPortClaim(
    int Position,
    string ContainerId,
    string Network,
    string Chain,
    string Destination,
    ulong Packets,
    NatRule DnatRule,
    NatRule? EntryRule);
