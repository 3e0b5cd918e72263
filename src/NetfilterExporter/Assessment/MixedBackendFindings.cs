using NetfilterExporter.Findings;
using NetfilterExporter.HostPorts;

namespace NetfilterExporter.Assessment;

/// <summary>A join across the iptables collectors: nat rules in both the legacy and the nft tables of one family.</summary>
public static class MixedBackendFindings
{
    public const string MixedBackendsId = "iptables-mixed-backends";

    public static IEnumerable<Finding> Detect(IReadOnlyList<HostPortObservation> observations)
    {
        // Per family, as the NetfilterIptablesMixedBackends alert counts: IPv4 and IPv6 tables are separate.
        var mixed = observations
            .Where(observation => !observation.Source.IsNftables && observation.Report.NatRules > 0)
            .GroupBy(observation => observation.Source.Family)
            .Where(family => family.Select(observation => observation.Source.Backend).Distinct().Count() > 1)
            .SelectMany(family => family)
            .ToList();
        if (mixed.Count == 0)
        {
            yield break;
        }
        yield return new Finding(
            MixedBackendsId,
            FindingSeverity.Warning,
            "Both the legacy and the nft nat tables hold rules. MicroK8s (kubelite, containerd's portmap) writes legacy tables; " +
            "rules in the other backend come from other software (docker, firewalld, a host iptables of the other kind) and are evaluated separately, " +
            "so `iptables -t nat -L` shows only half of the picture.",
            mixed.Select(observation => $"{observation.Source}: {observation.Report.NatRules} nat rules").ToList(),
            [
                new FixStep("Inspect both, with the binary of each backend:",
                    mixed.Select(observation => $"sudo {observation.Source.ListCommand}").ToList()),
            ]);
    }
}
