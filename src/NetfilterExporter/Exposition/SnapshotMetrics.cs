using System.Globalization;
using NetfilterExporter.Collection;
using NetfilterExporter.Conntrack;
using NetfilterExporter.HostPorts;

namespace NetfilterExporter.Exposition;

/// <summary>
/// Turns one <see cref="NodeSnapshot"/> into the metric families of DESIGN §3. Pure: the same snapshot always
/// gives the same families, in the same order.
/// </summary>
public static class SnapshotMetrics
{
    public static IEnumerable<MetricFamily> Build(NodeSnapshot snapshot, BuildInfo build, TimeSpan minInterval)
    {
        var iptables = snapshot.Iptables;
        yield return new MetricFamily("netfilter_hostport_dnat_rules",
            "DNAT rules reachable from CNI-HOSTPORT-DNAT that claim this host port (from <backend>-save -c -t nat). Healthy: 1.",
            MetricType.Gauge,
            PerPort(iptables, (labels, claims) => [MetricSample.Of(claims.Claims.Count, labels)]));
        yield return new MetricFamily("netfilter_hostport_dnat_duplicates",
            "Claims on this host port beyond the first (rules - 1); above 0 the first, often stale, claim takes the traffic.",
            MetricType.Gauge,
            PerPort(iptables, (labels, claims) => [MetricSample.Of(claims.Duplicates, labels)]));
        yield return new MetricFamily("netfilter_hostport_dnat_rule_info",
            "One series per DNAT claim on a host port; position 1 is evaluated first and wins.",
            MetricType.Gauge,
            PerPort(iptables, (labels, claims) => claims.Claims.Select(claim => MetricSample.Of(1,
            [
                .. labels, ("position", Text(claim.Position)), ("container_id", claim.ContainerId),
                ("network", claim.Network), ("chain", claim.Chain), ("destination", claim.Destination),
            ]))));
        yield return new MetricFamily("netfilter_hostport_dnat_rule_packets_total",
            "Packets matched by this DNAT claim (iptables-save -c): shows whether traffic goes to the winning, possibly stale, claim.",
            MetricType.Counter,
            PerPort(iptables, (labels, claims) => claims.Claims.Select(claim =>
                MetricSample.OfCount(claim.Packets, [.. labels, ("position", Text(claim.Position))]))));
        yield return new MetricFamily("netfilter_hostport_chain_rules",
            "Rules in the shared portmap chains CNI-HOSTPORT-DNAT, -SETMARK and -MASQ (a stale stop/start doubles the DNAT count).",
            MetricType.Gauge,
            iptables.SelectMany(observation => observation.Report.ChainRules
                .OrderBy(pair => pair.Key, StringComparer.Ordinal)
                .Select(pair => MetricSample.Of(pair.Value, Backend(observation), Family(observation), ("chain", pair.Key))))
                .ToList());
        yield return new MetricFamily("netfilter_hostport_orphan_chains",
            "CNI-DN-* chains that no rule jumps to: residue of a flush or of a container removed without CNI DEL.",
            MetricType.Gauge,
            iptables.Select(observation => MetricSample.Of(observation.Report.OrphanChains.Count, Backend(observation), Family(observation))).ToList());
        yield return new MetricFamily("netfilter_nat_rules",
            "All rules in the nat table of this backend and family.",
            MetricType.Gauge,
            iptables.Select(observation => MetricSample.Of(observation.Report.NatRules, Backend(observation), Family(observation))).ToList());

        foreach (var family in ConntrackFamilies(snapshot.Conntrack))
        {
            yield return family;
        }

        var cacheNote = $"Collections are shared by concurrent scrapes and reused for --collector.min-interval ({minInterval.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}s).";
        yield return new MetricFamily("netfilter_scrape_collector_success",
            "1 if the collector read its source in the last collection, 0 if it failed (its data is then left out). " + cacheNote,
            MetricType.Gauge,
            snapshot.Collectors.Select(outcome => MetricSample.Of(outcome.Success ? 1 : 0, ("collector", outcome.Name))).ToList());
        yield return new MetricFamily("netfilter_scrape_collector_duration_seconds",
            "Seconds the collector took in the last collection. " + cacheNote,
            MetricType.Gauge,
            snapshot.Collectors.Select(outcome => MetricSample.Of(outcome.Duration.TotalSeconds, ("collector", outcome.Name))).ToList());
        yield return new MetricFamily("netfilter_exporter_build_info",
            "A metric with a constant '1' value labeled by version, revision and .NET runtime version of netfilter-exporter.",
            MetricType.Gauge,
            [MetricSample.Of(1, ("version", build.Version), ("revision", build.Revision), ("dotnet_version", build.DotnetVersion))]);
    }

    private static List<MetricSample> PerPort(
        IReadOnlyList<IptablesObservation> observations,
        Func<(string, string)[], HostPortClaims, IEnumerable<MetricSample>> samples) =>
        observations.SelectMany(observation => observation.Report.Ports.SelectMany(claims => samples(
        [
            Backend(observation), Family(observation), ("protocol", claims.Key.Protocol),
            ("host_ip", claims.Key.HostIp), ("port", Text(claims.Key.Port)),
        ], claims))).ToList();

    private static IEnumerable<MetricFamily> ConntrackFamilies(ConntrackReport? report)
    {
        if (report is null)
        {
            yield break;
        }
        yield return Flag("netfilter_conntrack_module_loaded", "1 if nf_conntrack is loaded or built into the running kernel.", report.ModuleLoaded);
        yield return Flag("netfilter_conntrack_module_builtin", "1 if nf_conntrack is built into the running kernel (modules.builtin).", report.ModuleBuiltIn);
        yield return Flag("netfilter_conntrack_sysctl_present",
            "1 if <procfs>/sys/net/netfilter/nf_conntrack_max exists; kube-proxy in kubelite cannot start without it.", report.SysctlPresent);
        yield return Flag("netfilter_conntrack_boot_load_configured",
            "1 if nf_conntrack will be present after a reboot: built in, or listed in modules-load.d, /etc/modules or modules_load= and not blacklisted.",
            report.BootLoadConfigured);
        yield return new MetricFamily("netfilter_conntrack_boot_load_info",
            "One series per place that loads nf_conntrack at boot: a file as seen on the node, or cmdline.",
            MetricType.Gauge,
            report.BootLoadSources.Select(source => MetricSample.Of(1, ("source", source))).ToList());
        yield return Flag("netfilter_conntrack_blacklisted",
            "1 if a modprobe.d blacklist or install-to-false line stops nf_conntrack from loading.", report.Blacklist.Count > 0);
        if (report.Entries is { } entries)
        {
            yield return new MetricFamily("netfilter_conntrack_entries", "Connection tracking entries in use (nf_conntrack_count).",
                MetricType.Gauge, [MetricSample.Of(entries)]);
        }
        if (report.Limit is { } limit)
        {
            yield return new MetricFamily("netfilter_conntrack_entries_limit", "Maximum connection tracking entries (nf_conntrack_max).",
                MetricType.Gauge, [MetricSample.Of(limit)]);
        }
    }

    private static MetricFamily Flag(string name, string help, bool value) =>
        new(name, help, MetricType.Gauge, [MetricSample.Of(value ? 1 : 0)]);

    private static (string, string) Backend(IptablesObservation observation) => ("backend", observation.Source.BackendLabel);

    private static (string, string) Family(IptablesObservation observation) => ("family", observation.Source.FamilyLabel);

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
