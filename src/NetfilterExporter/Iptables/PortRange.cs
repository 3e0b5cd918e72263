namespace NetfilterExporter.Iptables;

/// <summary>A --dport/--dports element: a single port or an inclusive "first:last" range.</summary>
public readonly record struct PortRange(int First, int Last);
