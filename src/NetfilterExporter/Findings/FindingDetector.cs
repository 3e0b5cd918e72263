using NetfilterExporter.Collection;

namespace NetfilterExporter.Findings;

/// <summary>All findings of one snapshot, in a stable order: hostPort first, then conntrack, then backends.</summary>
public static class FindingDetector
{
    public const string MixedBackendsId = "iptables-mixed-backends";

    public static IReadOnlyList<Finding> Detect(NodeSnapshot snapshot)
    {
        var findings = snapshot.Iptables.SelectMany(HostPortFindings.Detect).ToList();
        if (snapshot.Conntrack is { } conntrack)
        {
            findings.AddRange(ConntrackFindings.Detect(conntrack));
        }
        // Per family, as the NetfilterIptablesMixedBackends alert counts: IPv4 and IPv6 tables are separate.
        var mixed = snapshot.Iptables
            .Where(observation => observation.Report.NatRules > 0)
            .GroupBy(observation => observation.Source.Family)
            .Where(family => family.Select(observation => observation.Source.Backend).Distinct().Count() > 1)
            .SelectMany(family => family)
            .ToList();
        if (mixed.Count > 0)
        {
            findings.Add(MixedBackends(mixed));
        }
        return findings;
    }

    private static Finding MixedBackends(IReadOnlyList<IptablesObservation> mixed) => new(
        MixedBackendsId,
        FindingSeverity.Warning,
        "Both the legacy and the nft nat tables hold rules. MicroK8s (kubelite, containerd's portmap) writes legacy tables; " +
        "rules in the other backend come from other software (docker, firewalld, a host iptables of the other kind) and are evaluated separately, " +
        "so `iptables -t nat -L` shows only half of the picture.",
        mixed.Select(observation => $"{observation.Source}: {observation.Report.NatRules} nat rules").ToList(),
        [
            new FixStep("Inspect both, with the binary of each backend:",
                mixed.Select(observation => $"sudo {observation.Source.SaveCommand} -t nat").ToList()),
        ]);
}
