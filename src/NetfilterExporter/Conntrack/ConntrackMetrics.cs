using NetfilterExporter.Exposition;

namespace NetfilterExporter.Conntrack;

/// <summary>The netfilter_conntrack_* families of one <see cref="ConntrackReport"/> (docs/contract.md §1).</summary>
public static class ConntrackMetrics
{
    public static IEnumerable<MetricFamily> Families(ConntrackReport report)
    {
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
        // Absent, not 0, without the sysctl: a 0 limit would read as a full table.
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
}
