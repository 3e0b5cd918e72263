using System.Globalization;

namespace NetfilterExporter.HostPorts;

/// <summary>
/// One DNAT rule that traffic to a host port can reach. <see cref="Position"/> is its rank in evaluation
/// order: 1 wins, because DNAT is terminal and the first match takes the packet.
/// </summary>
/// <param name="Packets">What the rule's counter says; null where the backend keeps none (portmap's nftables rules).</param>
/// <param name="Rule">The rules that make the claim, as the fix must name them.</param>
public sealed record HostPortClaim(
    int Position,
    string ContainerId,
    string Network,
    string Chain,
    string Destination,
    ulong? Packets,
    ClaimRule Rule)
{
    /// <summary>"12 packets" (with <paramref name="unit"/>), or "no counter" where the backend keeps none.</summary>
    public string CountedPackets(string unit = "packets") =>
        Packets is { } packets ? $"{packets.ToString(CultureInfo.InvariantCulture)} {unit}" : "no counter";
}
