using System.Globalization;
using NetfilterExporter.Conntrack;

namespace NetfilterExporter.Findings;

/// <summary>Findings about nf_conntrack, which kube-proxy inside kubelite needs from the moment it starts.</summary>
public static class ConntrackFindings
{
    public const string NotLoadedId = "conntrack-not-loaded";
    public const string NotPersistentId = "conntrack-not-persistent";
    public const string BlacklistedId = "conntrack-blacklisted";
    public const string NearlyFullId = "conntrack-table-nearly-full";
    public const double NearlyFullRatio = 0.75;

    private const string Persist = "echo nf_conntrack | sudo tee /etc/modules-load.d/nf_conntrack.conf";

    public static IEnumerable<Finding> Detect(ConntrackReport report)
    {
        if (!report.SysctlPresent)
        {
            yield return new Finding(
                NotLoadedId,
                FindingSeverity.Critical,
                "nf_conntrack is not loaded: /proc/sys/net/netfilter/nf_conntrack_max does not exist, so kube-proxy in kubelite fails " +
                "(\"Error running ProxyServer\" … nf_conntrack_max: no such file or directory) and services do not work.",
                [$"module loaded: {YesNo.Of(report.ModuleLoaded)}, built in: {YesNo.Of(report.ModuleBuiltIn)}, configured for boot: {YesNo.Of(report.BootLoadConfigured)}"],
                [
                    new FixStep("Load it now, make it load at every boot, then restart kubelite:",
                        ["sudo modprobe nf_conntrack", Persist, "sudo snap restart microk8s.daemon-kubelite"]),
                ]);
        }
        // Listed but blacklisted is conntrack-blacklisted's case: telling the operator to create the file they have misleads.
        else if (!report.BootLoadConfigured && !report.ModuleBuiltIn && report.BootLoadSources.Count == 0)
        {
            yield return new Finding(
                NotPersistentId,
                FindingSeverity.Warning,
                "nf_conntrack is loaded now but nothing loads it at boot: after the next reboot kubelite may fail until something else pulls it in.",
                ["no modules-load.d file, /etc/modules line or modules_load= parameter lists nf_conntrack"],
                [new FixStep("Make it load at every boot:", [Persist])]);
        }
        if (report.Blacklist.Count > 0)
        {
            yield return new Finding(
                BlacklistedId,
                FindingSeverity.Warning,
                "A modprobe.d line stops nf_conntrack from loading at boot: " + string.Join(", ", report.Blacklist.Select(entry => $"{entry.File}:{entry.Line}")),
                report.Blacklist.Select(entry => $"{entry.File} line {entry.Line}: {entry.Text}").ToList(),
                [
                    new FixStep("Comment out each blacklisting line (check first that nothing else relies on it):",
                        report.Blacklist.Select(entry => $"sudo sed -i '{entry.Line}s/^/# /' {ShellQuote.Quote(entry.File)}").ToList()),
                ]);
        }
        if (report is { Entries: { } entries, Limit: > 0 } && (double)entries / report.Limit.Value > NearlyFullRatio)
        {
            var limit = report.Limit.Value;
            var raised = (limit * 2).ToString(CultureInfo.InvariantCulture);
            yield return new Finding(
                NearlyFullId,
                FindingSeverity.Warning,
                $"The conntrack table is {(double)entries / limit:P0} full ({entries.ToString(CultureInfo.InvariantCulture)} of {limit.ToString(CultureInfo.InvariantCulture)}); " +
                "when it is full new connections are dropped.",
                [],
                [
                    new FixStep("Find what fills it (top destinations):",
                        ["sudo conntrack -L 2>/dev/null | grep -o 'dst=[^ ]*' | sort | uniq -c | sort -rn | head"]),
                    new FixStep("Or raise the limit (kube-proxy may set it again from --conntrack-max-per-core):",
                        [$"sudo sysctl -w net.netfilter.nf_conntrack_max={raised}",
                         $"echo net.netfilter.nf_conntrack_max={raised} | sudo tee /etc/sysctl.d/90-nf-conntrack.conf"]),
                ]);
        }
    }
}
