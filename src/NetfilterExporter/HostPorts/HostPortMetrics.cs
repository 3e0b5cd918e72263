using System.Globalization;
using NetfilterExporter.Exposition;

namespace NetfilterExporter.HostPorts;

/// <summary>The netfilter_hostport_* and netfilter_nat_rules families of one backend and family (docs/contract.md §1).</summary>
public static class HostPortMetrics
{
    public static IEnumerable<MetricFamily> Families(HostPortObservation observation)
    {
        var backend = ("backend", observation.Source.BackendLabel);
        var family = ("family", observation.Source.FamilyLabel);
        yield return new MetricFamily("netfilter_hostport_dnat_rules",
            "DNAT rules reachable from CNI-HOSTPORT-DNAT that claim this host port (from <backend>-save -c -t nat). Healthy: 1.",
            MetricType.Gauge,
            PerPort(observation, (labels, claims) => [MetricSample.Of(claims.Claims.Count, labels)]));
        yield return new MetricFamily("netfilter_hostport_dnat_duplicates",
            "Claims on this host port beyond the first (rules - 1); above 0 the first, often stale, claim takes the traffic.",
            MetricType.Gauge,
            PerPort(observation, (labels, claims) => [MetricSample.Of(claims.Duplicates, labels)]));
        yield return new MetricFamily("netfilter_hostport_dnat_rule_info",
            "One series per DNAT claim on a host port; position 1 is evaluated first and wins.",
            MetricType.Gauge,
            PerPort(observation, (labels, claims) => claims.Claims.Select(claim => MetricSample.Of(1,
            [
                .. labels, ("position", Text(claim.Position)), ("container_id", claim.ContainerId),
                ("network", claim.Network), ("chain", claim.Chain), ("destination", claim.Destination),
            ]))));
        yield return new MetricFamily("netfilter_hostport_dnat_rule_packets_total",
            "Packets matched by this DNAT claim (iptables-save -c): shows whether traffic goes to the winning, possibly stale, claim.",
            MetricType.Counter,
            PerPort(observation, (labels, claims) => claims.Claims.Select(claim =>
                MetricSample.OfCount(claim.Packets, [.. labels, ("position", Text(claim.Position))]))));
        yield return new MetricFamily("netfilter_hostport_chain_rules",
            "Rules in the shared portmap chains CNI-HOSTPORT-DNAT, -SETMARK and -MASQ (a stale stop/start doubles the DNAT count).",
            MetricType.Gauge,
            observation.Report.ChainRules
                .OrderBy(pair => pair.Key, StringComparer.Ordinal)
                .Select(pair => MetricSample.Of(pair.Value, backend, family, ("chain", pair.Key)))
                .ToList());
        yield return new MetricFamily("netfilter_hostport_orphan_chains",
            "CNI-DN-* chains that no rule jumps to: residue of a flush or of a container removed without CNI DEL.",
            MetricType.Gauge,
            [MetricSample.Of(observation.Report.OrphanChains.Count, backend, family)]);
        yield return new MetricFamily("netfilter_nat_rules",
            "All rules in the nat table of this backend and family.",
            MetricType.Gauge,
            [MetricSample.Of(observation.Report.NatRules, backend, family)]);
    }

    private static List<MetricSample> PerPort(
        HostPortObservation observation,
        Func<(string, string)[], HostPortClaims, IEnumerable<MetricSample>> samples) =>
        observation.Report.Ports.SelectMany(claims => samples(
        [
            ("backend", observation.Source.BackendLabel), ("family", observation.Source.FamilyLabel), ("protocol", claims.Key.Protocol),
            ("host_ip", claims.Key.HostIp), ("port", Text(claims.Key.Port)),
        ], claims)).ToList();

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
