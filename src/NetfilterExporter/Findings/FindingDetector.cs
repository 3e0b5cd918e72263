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
        var backendsWithNatRules = snapshot.Iptables
            .Where(observation => observation.Report.NatRules > 0)
            .Select(observation => observation.Source.Backend)
            .Distinct()
            .ToList();
        if (backendsWithNatRules.Count > 1)
        {
            findings.Add(MixedBackends(snapshot));
        }
        return findings;
    }

    private static Finding MixedBackends(NodeSnapshot snapshot) => new(
        MixedBackendsId,
        FindingSeverity.Warning,
        "Both the legacy and the nft nat tables hold rules. MicroK8s (kubelite, containerd's portmap) writes legacy tables; " +
        "rules in the other backend come from other software (docker, firewalld, a host iptables of the other kind) and are evaluated separately, " +
        "so `iptables -t nat -L` shows only half of the picture.",
        snapshot.Iptables
            .Where(observation => observation.Report.NatRules > 0)
            .Select(observation => $"{observation.Source}: {observation.Report.NatRules} nat rules")
            .ToList(),
        [
            new FixStep("Inspect both, with the binary of each backend:",
                ["sudo iptables-legacy-save -t nat", "sudo iptables-nft-save -t nat"]),
        ]);
}
