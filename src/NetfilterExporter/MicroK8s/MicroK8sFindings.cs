using NetfilterExporter.Findings;

namespace NetfilterExporter.MicroK8s;

/// <summary>microk8s-stop-leaves-stale-rules: the warning before the outage, read from the build's own scripts.</summary>
public static partial class MicroK8sFindings
{
    public const string StopLeavesStaleRulesId = "microk8s-stop-leaves-stale-rules";

    /// <param name="claimedPorts">The host ports claimed now, as people name them (tcp/80): what the next stop/start black-holes.</param>
    public static IEnumerable<Finding> Detect(MicroK8sBuild build, IReadOnlyList<string> claimedPorts)
    {
        if (!build.StopLeavesStaleRules)
        {
            yield break;
        }
        var why = new List<string>();
        if (build.StopRemovesContainers && build.Flush == HostPortFlush.None)
        {
            why.Add("its microk8s stop deletes the pods' containers with ctr, behind CNI, and nothing flushes CNI-HOSTPORT-DNAT, so their hostPort rules stay and win over the new pods' rules after start (canonical/microk8s#4944)");
        }
        if (build.StopRemovesContainers && build.Flush == HostPortFlush.AsCaller)
        {
            why.Add("its microk8s stop deletes the pods' containers behind CNI and flushes CNI-HOSTPORT-DNAT as the calling user: run without sudo the flush fails and the stale rules stay (canonical/microk8s#5005); `sudo microk8s stop` avoids it");
        }
        if (build.PortmapWritesNftables)
        {
            var evidence = build.PortmapBackends.Where(backend => backend.Backend == "nftables").Select(backend => backend.File).Distinct().ToList();
            if (build.NftablesTableSeen)
            {
                evidence.Add("its cni_hostport table is on the node");
            }
            why.Add($"portmap writes nftables here ({string.Join(", ", evidence)}), and MicroK8s' flush touches only the iptables-legacy chain");
        }
        var ports = claimedPorts.Count > 0 ? string.Join(", ", claimedPorts) : "none claimed now";
        yield return new Finding(
            StopLeavesStaleRulesId,
            FindingSeverity.Warning,
            $"The next microk8s stop / start on this node will black-hole its hostPorts ({ports}): MicroK8s {build.Version} (revision {build.Revision}, {build.Confinement}) leaves the old pods' DNAT rules in front of the new ones.",
            why,
            [
                new FixStep("Upgrade to a build whose stop flushes the rules as root (canonical/microk8s#5021):",
                    [$"sudo snap refresh microk8s --channel={MicroK8sUpgrade.Track(build.Version)}/stable"]),
                new FixStep("Restart the node with a reboot instead of microk8s stop / start (a reboot clears every rule).", []),
                new FixStep("Flush between stop and start, as root; pods re-add their own rules on start:",
                    build.PortmapWritesNftables
                        ? ["sudo microk8s stop", "sudo iptables-legacy -t nat -F CNI-HOSTPORT-DNAT", .. NftFlushes, "sudo microk8s start"]
                        : ["sudo microk8s stop", "sudo iptables-legacy -t nat -F CNI-HOSTPORT-DNAT", "sudo microk8s start"]),
            ]);
    }

    // Only the chains that hold claims and their masquerades: the hooks' jumps stay, as portmap wrote them.
    private static readonly string[] NftFlushes =
        [.. new[] { "ip", "ip6" }.SelectMany(family => new[] { "hostip_hostports", "hostports", "masquerading" }.Select(chain => $"sudo nft flush chain {family} cni_hostport {chain}"))];

}
