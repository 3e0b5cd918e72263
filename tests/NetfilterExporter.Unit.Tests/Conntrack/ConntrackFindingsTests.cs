using NetfilterExporter.Conntrack;
using NetfilterExporter.Findings;
using Xunit;

namespace NetfilterExporter.Unit.Tests.Conntrack;

/// <summary>The fix each defeat needs; the RealKernel suite shows on a real boot which of them let modprobe work.</summary>
public sealed class ConntrackFindingsTests
{
    [Fact]
    public async Task Module_blacklist_makes_not_loaded_say_modprobe_fails_and_fix_the_bootloader_then_reboot()
    {
        var findings = ConntrackFindings.Detect(await ConntrackFixtures.ProbeAsync("cmdline-module-blacklist")).ToDictionary(finding => finding.Id);

        var notLoaded = findings[ConntrackFindings.NotLoadedId];
        Assert.Contains("`sudo modprobe nf_conntrack` fails now: the kernel refuses the module (module_blacklist=", notLoaded.Summary);
        Assert.Equal(
            [
                ["grep -rn 'nf.conntrack' /etc/default/grub /etc/default/grub.d /etc/kernel/cmdline 2>/dev/null", "sudo update-grub"],
                ["sudo reboot"],
                [],
            ],
            notLoaded.Fixes.Select(fix => fix.Commands));
        Assert.Contains("GRUB_CMDLINE_LINUX", notLoaded.Fixes[0].Description);
        Assert.Contains("/etc/modules-load.d/k8s.conf", notLoaded.Fixes[2].Description);

        var blacklisted = findings[ConntrackFindings.BlacklistedId];
        Assert.Contains("module_blacklist=btrfs,nf_conntrack on the kernel command line makes the kernel refuse it (an explicit modprobe fails too)", blacklisted.Summary);
        Assert.Equal(["cmdline: module_blacklist=btrfs,nf_conntrack"], blacklisted.Details);
    }

    [Fact]
    public async Task Modprobe_blacklist_still_offers_fix_first_and_modprobe_by_hand()
    {
        var findings = ConntrackFindings.Detect(await ConntrackFixtures.ProbeAsync("cmdline-modprobe-blacklist")).ToDictionary(finding => finding.Id);

        var notLoaded = findings[ConntrackFindings.NotLoadedId];
        Assert.Contains("`sudo modprobe nf_conntrack` loads it now.", notLoaded.Summary);
        Assert.Equal(["sudo netfilter-exporter fix", "sudo netfilter-exporter fix --apply", "sudo snap restart microk8s.daemon-kubelite"], notLoaded.Fixes[0].Commands);
        Assert.Equal("sudo modprobe nf_conntrack", notLoaded.Fixes[1].Commands[0]);
        Assert.Equal("sudo snap restart microk8s.daemon-kubelite", notLoaded.Fixes[1].Commands[^1]);
        Assert.All(notLoaded.Fixes.Take(2), fix => Assert.Equal(FixKind.Alternative, fix.Kind));
        Assert.Contains("blacklists it at boot (an explicit modprobe still loads it)", findings[ConntrackFindings.BlacklistedId].Summary);
    }

    [Fact]
    public async Task An_install_line_under_run_is_removed_before_modprobe_and_said_to_vanish_at_reboot()
    {
        var findings = ConntrackFindings.Detect(await ConntrackFixtures.ProbeAsync("run-install-false")).ToDictionary(finding => finding.Id);

        var notLoaded = findings[ConntrackFindings.NotLoadedId];
        Assert.Contains("fails now: /run/modprobe.d/harden.conf:2 (install nf_conntrack /bin/false) runs instead of loading it", notLoaded.Summary);
        Assert.Equal(
            [["sudo sed -i '2s/^/# /' /run/modprobe.d/harden.conf"], ["sudo modprobe nf_conntrack", "sudo snap restart microk8s.daemon-kubelite"]],
            notLoaded.Fixes.Select(fix => fix.Commands));
        Assert.Contains("until the next reboot empties /run", findings[ConntrackFindings.BlacklistedId].Summary);
    }

    [Fact]
    public async Task A_packaged_install_line_is_overridden_from_etc_and_an_etc_line_is_commented_out()
    {
        var blacklisted = Assert.Single(
            ConntrackFindings.Detect(await ConntrackFixtures.ProbeAsync("install-false")), finding => finding.Id == ConntrackFindings.BlacklistedId);

        Assert.Equal(
            [
                ["sudo sh -c 'sed '\\''3s/^/# /'\\'' /usr/lib/modprobe.d/cis-hardening.conf > /etc/modprobe.d/cis-hardening.conf'"],
                ["sudo sed -i '2s/^/# /' /etc/modprobe.d/disable-conntrack.conf"],
            ],
            blacklisted.Fixes.Select(fix => fix.Commands));
    }
}
