using NetfilterExporter.Findings;

namespace NetfilterExporter.Conntrack;

/// <summary>How to take away one thing that keeps nf_conntrack from loading, shared by the conntrack findings.</summary>
public static class BlacklistFixes
{
    /// <summary>Packaged drop-ins: an edit is lost on the next package upgrade, a same-named /etc file overrides them for good.</summary>
    private static readonly string[] PackagedDirectories = ["/usr/lib/modprobe.d/", "/lib/modprobe.d/"];

    /// <summary>A step, not an alternative: each thing that blocks the module has to go.</summary>
    public static FixStep StepFor(BlacklistEntry entry)
    {
        if (entry.OnCommandLine)
        {
            // module_blacklist= is a read-only kernel parameter and kmod reads modprobe.blacklist= from /proc/cmdline:
            // neither changes before a boot with another command line.
            return new FixStep(
                $"Remove {entry.Text} from the kernel command line (only nf_conntrack, if the list names other modules). " +
                "Debian/Ubuntu: it is in GRUB_CMDLINE_LINUX or GRUB_CMDLINE_LINUX_DEFAULT in /etc/default/grub or /etc/default/grub.d/*.cfg; " +
                "edit it there, then run update-grub (RHEL/Fedora: grubby; systemd-boot: /etc/kernel/cmdline). It takes effect at the next boot; " +
                "until then this finding stays, because the exporter reads the running boot's /proc/cmdline.",
                [
                    "grep -rn 'nf.conntrack' /etc/default/grub /etc/default/grub.d /etc/kernel/cmdline 2>/dev/null",
                    "sudo update-grub",
                ],
                FixKind.Step);
        }
        var line = entry.Line ?? 1;
        var comment = $"{line.ToString(System.Globalization.CultureInfo.InvariantCulture)}s/^/# /";
        if (PackagedDirectories.Any(directory => entry.Source.StartsWith(directory, StringComparison.Ordinal)))
        {
            var name = Path.GetFileName(entry.Source);
            return new FixStep(
                $"{entry.Source} comes from a package: override it with a copy in /etc/modprobe.d without line {line} (check first that nothing else relies on it):",
                [$"sudo sh -c {ShellQuote.Quote($"sed '{comment}' {ShellQuote.Quote(entry.Source)} > {ShellQuote.Quote("/etc/modprobe.d/" + name)}")}"],
                FixKind.Step);
        }
        return new FixStep(
            entry.GoneAfterReboot
                ? $"Comment out line {line} of {entry.Source} (a reboot empties /run; whatever wrote it may write it again):"
                : $"Comment out line {line} of {entry.Source} (check first that nothing else relies on it):",
            [$"sudo sed -i '{comment}' {ShellQuote.Quote(entry.Source)}"],
            FixKind.Step);
    }
}
