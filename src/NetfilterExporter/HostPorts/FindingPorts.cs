using NetfilterExporter.Findings;
using NetfilterExporter.Iptables;

namespace NetfilterExporter.HostPorts;

/// <summary>The ports of a host-port finding, labelled as the table's metrics and alerts label them.</summary>
public static class FindingPorts
{
    public static IReadOnlyList<FindingPort> Of(RuleSource source, IEnumerable<HostPortClaims> ports) =>
        [.. ports.Select(port => new FindingPort(source.BackendLabel, source.FamilyLabel, port.Key.Protocol, port.Key.HostIp, port.Key.Port)).Distinct()];
}
