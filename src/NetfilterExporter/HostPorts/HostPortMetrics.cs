using System.Globalization;
using Prometheus;

namespace NetfilterExporter.HostPorts;

/// <summary>The netfilter_hostport_* and netfilter_nat_rules families of one backend and family (docs/contract.md §1).</summary>
public static class HostPortMetrics
{
    private static readonly string[] PortLabels = ["backend", "family", "protocol", "host_ip", "port"];

    public static void Write(HostPortObservation observation, IClaimJudge sandboxes, IMetricFactory metrics)
    {
        var backend = observation.Source.BackendLabel;
        var family = observation.Source.FamilyLabel;
        WritePorts(observation.Report.Ports, backend, family, sandboxes, metrics);
        metrics.CreateGauge("netfilter_hostport_chain_present",
                "1 when this backend and family has portmap's CNI-HOSTPORT-DNAT chain (iptables) or hostports chain (nftables); 0 in every table read means there are no hostPort rules to check, not a healthy node.",
                ["backend", "family"])
            .WithLabels(backend, family).Set(observation.Report.DnatChainPresent ? 1 : 0);
        // Families are created only when they get a series: prometheus-net writes HELP and TYPE even for none.
        if (observation.Report.ChainRules.Count > 0)
        {
            var chainRules = metrics.CreateGauge("netfilter_hostport_chain_rules",
                "Rules in the shared portmap chains: CNI-HOSTPORT-DNAT, -SETMARK and -MASQ (iptables), hostports, hostip_hostports and masquerading (nftables). A stale stop/start doubles the DNAT count.",
                ["backend", "family", "chain"]);
            foreach (var (chain, count) in observation.Report.ChainRules.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                chainRules.WithLabels(backend, family, chain).Set(count);
            }
        }
        // portmap's nftables backend keeps every claim in shared chains: there is no per-container chain to orphan.
        if (!observation.Source.IsNftables)
        {
            metrics.CreateGauge("netfilter_hostport_orphan_chains",
                    "CNI-DN-* chains that no rule jumps to: residue of a flush or of a container removed without CNI DEL.", ["backend", "family"])
                .WithLabels(backend, family).Set(observation.Report.OrphanChains.Count);
        }
        metrics.CreateGauge("netfilter_nat_rules", "All rules in the nat table of this backend and family (for nftables: in portmap's cni_hostport table).", ["backend", "family"])
            .WithLabels(backend, family).Set(observation.Report.NatRules);
    }

    private static void WritePorts(IReadOnlyList<HostPortClaims> ports, string backend, string family, IClaimJudge sandboxes, IMetricFactory metrics)
    {
        if (ports.Count == 0)
        {
            return;
        }
        // Every series is created here from a report in which ports, positions and chains are unique, so no label
        // set is written twice (prometheus-net would silently merge it).
        var rules = metrics.CreateGauge("netfilter_hostport_dnat_rules",
            "DNAT rules that claim this host port: reachable from CNI-HOSTPORT-DNAT (iptables backends), or from the prerouting chain of portmap's cni_hostport table (nftables). Healthy: 1.", PortLabels);
        var duplicates = metrics.CreateGauge("netfilter_hostport_dnat_duplicates",
            "Claims on this host port beyond the first (rules - 1); above 0 the first, often stale, claim takes the traffic.", PortLabels);
        var info = metrics.CreateGauge("netfilter_hostport_dnat_rule_info",
            "One series per DNAT claim on a host port; position 1 is evaluated first and wins. state: live (its sandbox is ready in the container runtime), stale (not listed as ready: its pod is not running) or unknown (no runtime was asked); pod_namespace and pod_name as the runtime lists the sandbox.",
            [.. PortLabels, "position", "container_id", "network", "chain", "destination", "state", "pod_namespace", "pod_name"]);
        var staleClaims = metrics.CreateGauge("netfilter_hostport_stale_claims",
            "Claims on this host port whose sandbox the container runtime does not list as ready (0 when all are live or the runtime is unknown).", PortLabels);
        var winnerStale = metrics.CreateGauge("netfilter_hostport_winner_stale",
            "1 when the claim that wins this host port is stale: its traffic goes to a pod that is not running (black-holed), with or without a duplicate.", PortLabels);
        // portmap's nftables rules carry no counter: their claims have no packets series, and alone no family.
        var packets = ports.Any(port => port.Claims.Any(claim => claim.Packets is not null))
            ? metrics.CreateCounter("netfilter_hostport_dnat_rule_packets_total",
                "Packets matched by this DNAT claim (iptables-save -c): shows whether traffic goes to the winning, possibly stale, claim. None for backend nftables: portmap puts no counter on its nftables rules.",
                [.. PortLabels, "position"])
            : null;
        foreach (var port in ports)
        {
            string[] portLabels = [backend, family, port.Key.Protocol, port.Key.HostIp, Text(port.Key.Port)];
            rules.WithLabels(portLabels).Set(port.Claims.Count);
            duplicates.WithLabels(portLabels).Set(port.Duplicates);
            var runtimes = port.Claims.Select(sandboxes.Of).ToList();
            staleClaims.WithLabels(portLabels).Set(runtimes.Count(runtime => runtime.State == ClaimState.Stale));
            winnerStale.WithLabels(portLabels).Set(runtimes[0].State == ClaimState.Stale ? 1 : 0);
            foreach (var (claim, runtime) in port.Claims.Zip(runtimes))
            {
                var position = Text(claim.Position);
                info.WithLabels([.. portLabels, position, claim.ContainerId, claim.Network, claim.Chain, claim.Destination,
                    runtime.StateLabel, runtime.PodNamespace ?? "", runtime.PodName ?? ""]).Set(1);
                // Prometheus stores float64: a counter above 2^53 packets reads the same as it does here.
                if (claim.Packets is { } counted)
                {
                    packets!.WithLabels([.. portLabels, position]).IncTo(counted);
                }
            }
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
