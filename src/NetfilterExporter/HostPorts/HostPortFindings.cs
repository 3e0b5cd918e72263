using System.Globalization;
using NetfilterExporter.Findings;
using NetfilterExporter.Iptables;

namespace NetfilterExporter.HostPorts;

/// <summary>
/// Findings about portmap's rules: duplicate claims on a host port, claims of sandboxes that are not running
/// (<see cref="StaleClaimFindings"/>) and orphaned CNI-DN-* chains.
/// </summary>
public static class HostPortFindings
{
    public const string DuplicateId = "hostport-dnat-duplicate";
    public const string OrphanId = "hostport-orphan-chain";

    /// <param name="upgrade">The prevention step, on the node's track when its MicroK8s build is known.</param>
    public static IEnumerable<Finding> Detect(HostPortObservation observation, IClaimJudge sandboxes, FixStep upgrade)
    {
        var duplicated = observation.Report.Ports.Where(port => port.Duplicates > 0).ToList();
        if (duplicated.Count > 0)
        {
            yield return Duplicates(observation, duplicated, sandboxes, upgrade);
        }
        foreach (var stale in StaleClaimFindings.Detect(observation, sandboxes, upgrade))
        {
            yield return stale;
        }
        if (observation.Report.OrphanChains.Count > 0)
        {
            yield return Orphans(observation, observation.Report.OrphanChains);
        }
    }

    private static Finding Duplicates(HostPortObservation observation, List<HostPortClaims> ports, IClaimJudge sandboxes, FixStep upgrade)
    {
        var source = observation.Source;
        var details = new List<string>();
        foreach (var port in ports)
        {
            details.Add($"{port.Key.Describe()}: {port.Claims.Count.ToString(CultureInfo.InvariantCulture)} DNAT claims in {source}; traffic goes to position 1");
            details.AddRange(port.Claims.Select(claim =>
                $"  {claim.Position.ToString(CultureInfo.InvariantCulture)}. {(claim.Position == 1 ? "WINS    " : "shadowed")} container {claim.ContainerId}{RuntimeSuffix(sandboxes.Of(claim))}{(claim.Network.Length > 0 ? $" ({claim.Network})" : "")} -> {claim.Destination}, " +
                $"chain {claim.Chain}, {claim.CountedPackets()}"));
        }
        // Per claim: what the runtime confirmed stale is deleted without a question, what it confirmed live never is,
        // and only a claim it could not judge falls back to portmap's append order (the last claim on a port is the
        // newest sandbox's; the earlier ones are what a stop/start left behind), with the confirm step.
        var fixes = new List<FixStep>();
        var stale = ports.SelectMany(port => port.Claims).Where(claim => sandboxes.Of(claim).State == ClaimState.Stale).ToList();
        if (stale.Count > 0)
        {
            fixes.AddRange(observation.ExporterFixes);
            fixes.Add(new FixStep(
                $"Surgical, keeps running pods: the container runtime confirms the stale claims' sandboxes are not running; delete {SurgicalDelete.Deletes(source)}:",
                SurgicalDelete.Commands(source, stale)));
        }
        var guessed = ports.SelectMany(port => port.Claims.Take(port.Claims.Count - 1)).Where(claim => sandboxes.Of(claim).State == ClaimState.Unknown).ToList();
        if (guessed.Count > 0)
        {
            // The ids are known: the confirm step names each one, so nothing is left to fill in at night.
            var confirm = string.Join("; ", guessed.Select(claim => claim.ContainerId).Distinct().Select(id => $"sudo microk8s ctr --namespace k8s.io containers info {id}"));
            fixes.Add(new FixStep(
                $"Surgical, keeps running pods: first confirm the winning container is gone ({confirm} must fail), then delete {SurgicalDelete.Deletes(source, one: true)}:",
                SurgicalDelete.Commands(source, guessed)));
        }
        fixes.Add(DocumentedFix(observation));
        fixes.Add(upgrade);
        var winners = string.Join(", ", ports.Select(port => $"{port.Key.Describe()} -> {port.Winner.Destination} ({sandboxes.Describe(port.Winner)}, {sandboxes.Of(port.Winner).StateLabel})").Distinct());
        // A running pod winning every port means traffic is served: the other claims are residue, not an outage.
        var served = ports.All(port => sandboxes.Of(port.Winner).State == ClaimState.Live);
        return new Finding(
            HostPortFindings.DuplicateId,
            served ? FindingSeverity.Warning : FindingSeverity.Critical,
            $"{ports.Count.ToString(CultureInfo.InvariantCulture)} host port(s) in {source} have more than one DNAT claim; the first claim wins: {winners}. " +
            (served
                ? "The container runtime lists every winner as running, so traffic is served; the shadowed claims are residue."
                : "This is the MicroK8s stop/start stale-rule state (canonical/microk8s#4944)."),
            details,
            fixes)
        {
            Ports = FindingPorts.Of(source, ports),
        };
    }

    /// <summary>
    /// canonical/microk8s#4944's fix: flush portmap's DNAT chain while MicroK8s is stopped. For portmap's nftables table the
    /// same is done with nft, to its DNAT chains and the masquerade rules that go with them.
    /// </summary>
    private static FixStep DocumentedFix(HostPortObservation observation)
    {
        var source = observation.Source;
        if (!source.IsNftables)
        {
            return new FixStep(
                "Documented fix: flush the jumps while MicroK8s is stopped; pods re-add their own rules on start (or simply reboot the node):",
                ["sudo microk8s stop", $"sudo {source.IptablesCommand} -t nat -F {HostPortAnalyzer.DnatChain}", "sudo microk8s start"]);
        }
        var flushes = new[] { PortmapNftAnalyzer.HostIpHostPortsChain, PortmapNftAnalyzer.HostPortsChain, PortmapNftAnalyzer.MasqueradeChain }
            .Where(observation.Report.ChainRules.ContainsKey)
            .Select(chain => $"sudo nft flush chain {source.NftFamily} {RuleSource.NftablesTable} {chain}");
        return new FixStep(
            "Documented fix, for portmap's nftables table: flush its chains while MicroK8s is stopped; pods re-add their own rules on start (or simply reboot the node):",
            ["sudo microk8s stop", .. flushes, "sudo microk8s start"]);
    }

    /// <summary>" [stale, pod default/web]" when the runtime was asked; nothing when it was not.</summary>
    private static string RuntimeSuffix(ClaimRuntime runtime) => runtime.State == ClaimState.Unknown ? ""
        : runtime.Pod is { } pod ? $" [{runtime.StateLabel}, pod {pod}]" : $" [{runtime.StateLabel}]";

    private static Finding Orphans(HostPortObservation observation, IReadOnlyList<string> chains)
    {
        var source = observation.Source;
        return new Finding(
            OrphanId,
            FindingSeverity.Warning,
            $"{chains.Count} CNI-DN-* chain(s) in {source} are not referenced by any rule: residue of a flush or of a container removed without CNI DEL. Harmless, but a sign of stale state.",
            chains.Select(chain => $"orphan chain {chain}").ToList(),
            [
                .. observation.ExporterFixes,
                new FixStep("By hand, remove each orphan chain (flush, then delete):",
                    SurgicalDelete.OrphanDeletions(chains).SelectMany(deletion => SurgicalDelete.Commands(source, deletion)).ToList()),
            ]);
    }
}
