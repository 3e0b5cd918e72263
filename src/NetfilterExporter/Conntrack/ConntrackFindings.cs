using System.Globalization;
using NetfilterExporter.Findings;

namespace NetfilterExporter.Conntrack;

/// <summary>Findings about nf_conntrack, which kube-proxy inside kubelite needs from the moment it starts.</summary>
public static class ConntrackFindings
{
    public const string NotLoadedId = "conntrack-not-loaded";
    public const string NotPersistentId = "conntrack-not-persistent";
    public const string BlacklistedId = "conntrack-blacklisted";
    public const string NearlyFullId = "conntrack-table-nearly-full";
    public const double NearlyFullRatio = 0.75;

    private const string Persist = "echo nf_conntrack | sudo tee /etc/modules-load.d/nf_conntrack.conf";
    private const string Modprobe = "sudo modprobe nf_conntrack";
    private const string RestartKubelite = "sudo snap restart microk8s.daemon-kubelite";

    public static IEnumerable<Finding> Detect(ConntrackReport report)
    {
        if (!report.SysctlPresent)
        {
            yield return NotLoaded(report);
        }
        // Listed but blacklisted is conntrack-blacklisted's case: telling the operator to create the file they have misleads.
        else if (!report.BootLoadConfigured && !report.ModuleBuiltIn && report.BootLoadSources.Count == 0)
        {
            yield return new Finding(
                NotPersistentId,
                FindingSeverity.Warning,
                "nf_conntrack is loaded now but nothing loads it at boot: after the next reboot kubelite may fail until something else pulls it in.",
                ["no modules-load.d file in /etc, /usr/lib or /lib, no /etc/modules line and no modules_load= parameter lists nf_conntrack (/run is emptied at every reboot)"],
                [ExporterFix.Step, new FixStep("By hand, make it load at every boot:", [Persist])]);
        }
        if (report.Blacklist.Count > 0)
        {
            yield return new Finding(
                BlacklistedId,
                FindingSeverity.Warning,
                "Something stops nf_conntrack from loading: " + string.Join(", ", report.Blacklist.Select(Describe)) + ".",
                report.Blacklist.Select(entry => $"{entry.Location}: {entry.Text}").ToList(),
                report.Blacklist.Select(BlacklistFixes.StepFor).ToList());
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
                    new FixStep("Raise the limit (kube-proxy may set it again from --conntrack-max-per-core):",
                        [$"sudo sysctl -w net.netfilter.nf_conntrack_max={raised}",
                         $"echo net.netfilter.nf_conntrack_max={raised} | sudo tee /etc/sysctl.d/90-nf-conntrack.conf"]),
                ]);
        }
    }

    private static Finding NotLoaded(ConntrackReport report)
    {
        var blocking = report.Blacklist.Where(entry => entry.StopsManualModprobe).ToList();
        var refusedByKernel = blocking.Any(entry => entry.Kind == BlacklistKind.CommandLineModuleBlacklist);
        var now = report.ManualModprobeWorks
            ? "`sudo modprobe nf_conntrack` loads it now."
            : refusedByKernel
                ? "`sudo modprobe nf_conntrack` fails now: the kernel refuses the module (module_blacklist= on this boot's command line) until the node boots without it."
                : $"`sudo modprobe nf_conntrack` fails now: {string.Join(", ", blocking.Select(entry => $"{entry.Location} ({entry.Text})"))} runs instead of loading it.";
        var fixes = new List<FixStep>();
        var unlisted = report.BootLoadSources.Count == 0;
        if (report.ManualModprobeWorks)
        {
            // Two complete ways: fix plans the same modprobe and boot file (docs/contract.md §6), and never restarts kubelite.
            var what = unlisted ? "load it now and list it for boot" : "load it now";
            fixes.Add(new FixStep(
                $"Let netfilter-exporter {what}, then restart kubelite, which fix never does: the first command prints what it would change and changes nothing; the second applies it and checks the result:",
                [.. ExporterFix.Step.Commands, RestartKubelite]));
            fixes.Add(new FixStep(
                unlisted ? "By hand: load it now, make it load at every boot, then restart kubelite:" : "By hand: load it now, then restart kubelite:",
                unlisted ? [Modprobe, Persist, RestartKubelite] : [Modprobe, RestartKubelite]));
        }
        else
        {
            fixes.AddRange(blocking.Select(BlacklistFixes.StepFor));
            fixes.Add(refusedByKernel
                ? new FixStep("Then reboot with the new command line (kubelite starts with the module there once it loads at boot):", ["sudo reboot"], FixKind.Step)
                : new FixStep("Then load it and restart kubelite:", [Modprobe, RestartKubelite], FixKind.Step));
            if (unlisted)
            {
                fixes.Add(new FixStep("Make it load at every boot:", [Persist], FixKind.Step));
            }
        }
        if (!unlisted && !report.BootLoadConfigured)
        {
            fixes.Add(new FixStep(
                $"It is listed for boot ({string.Join(", ", report.BootLoadSources)}), but the listing is defeated: remove what {BlacklistedId} names.", [],
                report.ManualModprobeWorks ? FixKind.Prevention : FixKind.Step));
        }
        return new Finding(
            NotLoadedId,
            FindingSeverity.Critical,
            "nf_conntrack is not loaded: /proc/sys/net/netfilter/nf_conntrack_max does not exist, so kube-proxy in kubelite fails " +
            "(\"Error running ProxyServer\" … nf_conntrack_max: no such file or directory) and services do not work. " + now,
            [
                $"module loaded: {YesNo.Of(report.ModuleLoaded)}, built in: {YesNo.Of(report.ModuleBuiltIn)}, configured for boot: {YesNo.Of(report.BootLoadConfigured)}, " +
                $"modprobe works now: {YesNo.Of(report.ManualModprobeWorks)}",
            ],
            fixes);
    }

    private static string Describe(BlacklistEntry entry) => entry.Kind switch
    {
        BlacklistKind.ModprobeBlacklist => $"{entry.Location} blacklists it at boot (an explicit modprobe still loads it)",
        BlacklistKind.InstallCommand => $"{entry.Location} replaces every load with '{entry.Text.Split(' ', 3)[^1]}' (an explicit modprobe fails too)",
        BlacklistKind.CommandLineModprobeBlacklist => $"{entry.Text} on the kernel command line blacklists it at boot (an explicit modprobe still loads it)",
        BlacklistKind.CommandLineModuleBlacklist => $"{entry.Text} on the kernel command line makes the kernel refuse it (an explicit modprobe fails too)",
        _ => throw new ArgumentOutOfRangeException(nameof(entry), entry.Kind, null),
    } + (entry.GoneAfterReboot ? ", until the next reboot empties /run" : "");
}
