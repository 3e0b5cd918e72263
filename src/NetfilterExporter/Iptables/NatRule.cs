namespace NetfilterExporter.Iptables;

/// <summary>
/// A rule of a CNI chain as iptables-save printed it. <see cref="Arguments"/> are the unquoted tokens after
/// "-A CHAIN", exactly what a "-D CHAIN …" needs to delete this very rule.
/// </summary>
/// <param name="Destination">The -d address; null when absent or negated (a negated one matches every other address).</param>
/// <param name="HasNegatedMatch">A negated protocol or destination port: the rule claims no specific host port.</param>
public sealed record NatRule(
    string Chain,
    int LineNumber,
    ulong Packets,
    ulong Bytes,
    IReadOnlyList<string> Arguments,
    string? Protocol,
    string? Destination,
    bool HasNegatedMatch,
    IReadOnlyList<PortRange> DestinationPorts,
    string? Comment,
    string? Target,
    string? ToDestination);
