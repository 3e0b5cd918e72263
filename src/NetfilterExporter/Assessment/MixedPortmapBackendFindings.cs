using System.Globalization;
using NetfilterExporter.Findings;
using NetfilterExporter.HostPorts;

namespace NetfilterExporter.Assessment;

/// <summary>
/// A join across the iptables and nftables collectors: one host port claimed both in an iptables nat table and in
/// portmap's nftables table. Both apply to every packet; which one takes a connection is decided by the kernel, not
/// by either table alone.
/// </summary>
public static class MixedPortmapBackendFindings
{
    public const string Id = "hostport-mixed-portmap-backends";

    public static IEnumerable<Finding> Detect(IReadOnlyList<HostPortObservation> observations)
    {
        var claimed = observations
            .SelectMany(observation => observation.Report.Ports.Select(port => (observation.Source, Port: port)))
            .GroupBy(pair => (pair.Source.Family, pair.Port.Key))
            .Where(group => group.Any(pair => pair.Source.IsNftables) && group.Any(pair => !pair.Source.IsNftables))
            .ToList();
        if (claimed.Count == 0)
        {
            yield break;
        }
        yield return new Finding(
            Id,
            FindingSeverity.Warning,
            $"{claimed.Count.ToString(CultureInfo.InvariantCulture)} host port(s) are claimed both in an iptables nat table and in portmap's nftables table (cni_hostport). " +
            "Both apply to every packet: at the prerouting hook the kernel runs the nat chains in priority order (iptables' nat PREROUTING and " +
            "portmap's prerouting chain both sit at -100, dstnat, where the one registered first runs first), and the first DNAT sets the connection's " +
            "destination, so the other table's claim is never consulted. Which claim serves the port can change with a reboot or a reload. " +
            "This is a node whose portmap changed backends (a CNI plugins upgrade, or iptables removed) with the old rules left behind.",
            [.. claimed.SelectMany(group => group.Select(pair =>
                $"{pair.Port.Key.Describe()} in {pair.Source}: first claim {pair.Port.Winner.ContainerId} -> {pair.Port.Winner.Destination}"))],
            [
                new FixStep("Look at both, then remove the claims of the backend portmap no longer writes (check names the stale ones):",
                    [.. claimed.SelectMany(group => group.Select(pair => $"sudo {pair.Source.ListCommand}")).Distinct()]),
            ]);
    }
}
