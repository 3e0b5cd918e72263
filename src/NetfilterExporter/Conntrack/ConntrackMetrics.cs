using Prometheus;

namespace NetfilterExporter.Conntrack;

/// <summary>The netfilter_conntrack_* families of one <see cref="ConntrackReport"/> (docs/contract.md §1).</summary>
public static class ConntrackMetrics
{
    public static void Write(ConntrackReport report, IMetricFactory metrics)
    {
        Flag(metrics, "netfilter_conntrack_module_loaded", "1 if nf_conntrack is loaded or built into the running kernel.", report.ModuleLoaded);
        Flag(metrics, "netfilter_conntrack_module_builtin", "1 if nf_conntrack is built into the running kernel (modules.builtin).", report.ModuleBuiltIn);
        Flag(metrics, "netfilter_conntrack_sysctl_present",
            "1 if /proc/sys/net/netfilter/nf_conntrack_max exists (read under --path.procfs); kube-proxy in kubelite cannot start without it.", report.SysctlPresent);
        Flag(metrics, "netfilter_conntrack_boot_load_configured",
            "1 if nf_conntrack will be present after a reboot: built in, or listed in modules-load.d, /etc/modules or modules_load= and not blacklisted.",
            report.BootLoadConfigured);
        if (report.BootLoadSources.Count > 0)
        {
            // Created only with a series: prometheus-net writes HELP and TYPE even for a family with none.
            var sources = metrics.CreateGauge("netfilter_conntrack_boot_load_info",
                "One series per place that loads nf_conntrack at boot: a file as seen on the node, or cmdline.", ["source"]);
            foreach (var source in report.BootLoadSources)
            {
                sources.WithLabels(source).Set(1);
            }
        }
        WriteBlacklist(report.Blacklist, metrics);
        // A label-less gauge is published as soon as it exists, so without the sysctl these are not created at all:
        // absent, not 0, since a 0 limit would read as a full table.
        if (report.Entries is { } entries)
        {
            metrics.CreateGauge("netfilter_conntrack_entries", "Connection tracking entries in use (nf_conntrack_count).").Set(entries);
        }
        if (report.Limit is { } limit)
        {
            metrics.CreateGauge("netfilter_conntrack_entries_limit", "Maximum connection tracking entries (nf_conntrack_max).").Set(limit);
        }
    }

    /// <summary>
    /// One series per defeat, named by where it is; a single unlabelled 0 when there is none. Prometheus drops
    /// empty labels, so the 0 is the same series a labelled family would give, and <c>== 1</c> alerts name the source.
    /// </summary>
    private static void WriteBlacklist(IReadOnlyList<BlacklistEntry> blacklist, IMetricFactory metrics)
    {
        const string name = "netfilter_conntrack_blacklisted";
        const string help = "1 per modprobe.d line (source file:line) or kernel command-line parameter (source cmdline) that stops nf_conntrack from loading; a single 0 when nothing does.";
        if (blacklist.Count == 0)
        {
            metrics.CreateGauge(name, help).Set(0);
            return;
        }
        var gauge = metrics.CreateGauge(name, help, ["source", "directive"]);
        foreach (var entry in blacklist)
        {
            gauge.WithLabels(entry.Location, entry.Text).Set(1);
        }
    }

    private static void Flag(IMetricFactory metrics, string name, string help, bool value) =>
        metrics.CreateGauge(name, help).Set(value ? 1 : 0);
}
