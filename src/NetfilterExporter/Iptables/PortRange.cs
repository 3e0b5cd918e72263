namespace NetfilterExporter.Iptables;

/// <summary>A --dport/--dports element: a single port or an inclusive "first:last" range.</summary>
public readonly record struct PortRange(int First, int Last)
{
    public bool Contains(int port) => port >= First && port <= Last;

    public bool IsSinglePort => First == Last;
}
