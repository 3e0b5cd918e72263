using NetfilterExporter.Conntrack;
using Xunit;

namespace NetfilterExporter.Unit.Tests.Conntrack;

public sealed class BlacklistTests
{
    [Fact]
    public async Task A_blacklist_line_is_reported_with_file_and_line_and_defeats_the_listing()
    {
        var report = await ConntrackFixtures.ProbeAsync("blacklist-line");

        Assert.Equal([new BlacklistEntry("/etc/modprobe.d/blacklist-conntrack.conf", 4, "blacklist nf_conntrack", BlacklistKind.ModprobeBlacklist)], report.Blacklist);
        Assert.Equal(["/etc/modules-load.d/nf_conntrack.conf"], report.BootLoadSources);
        Assert.False(report.BootLoadConfigured);
        // kmod applies a blacklist to aliases, not to an explicit name.
        Assert.True(report.ManualModprobeWorks);
    }

    [Fact]
    public async Task Install_lines_running_false_or_true_are_reported_and_loading_install_lines_are_not()
    {
        // conntrack-options.conf holds commented, similar-named, options and modprobe-running install lines.
        var report = await ConntrackFixtures.ProbeAsync("install-false");

        Assert.Equal(
            [
                new BlacklistEntry("/usr/lib/modprobe.d/cis-hardening.conf", 3, "install nf_conntrack /bin/false", BlacklistKind.InstallCommand),
                new BlacklistEntry("/etc/modprobe.d/disable-conntrack.conf", 2, "install nf-conntrack /bin/true", BlacklistKind.InstallCommand),
            ],
            report.Blacklist);
        Assert.False(report.BootLoadConfigured);
        Assert.False(report.ManualModprobeWorks);
    }

    [Fact]
    public async Task A_same_named_link_to_dev_null_in_etc_masks_a_packaged_blacklist()
    {
        var report = await ConntrackFixtures.ProbeAsync("blacklist-masked");

        Assert.Empty(report.Blacklist);
        Assert.True(report.BootLoadConfigured);
    }

    [Fact]
    public async Task A_built_in_module_stays_configured_even_when_blacklisted()
    {
        var report = await ConntrackFixtures.ProbeAsync("builtin-blacklisted");

        Assert.True(report.ModuleBuiltIn);
        Assert.True(report.BootLoadConfigured);
        Assert.Equal([new BlacklistEntry("/etc/modprobe.d/blacklist-conntrack.conf", 1, "blacklist nf_conntrack", BlacklistKind.ModprobeBlacklist)], report.Blacklist);
    }

    [Fact]
    public async Task Module_blacklist_on_the_command_line_is_reported_as_cmdline_and_stops_an_explicit_modprobe()
    {
        var report = await ConntrackFixtures.ProbeAsync("cmdline-module-blacklist");

        Assert.Equal(
            [new BlacklistEntry(BlacklistEntry.CommandLine, null, "module_blacklist=btrfs,nf_conntrack", BlacklistKind.CommandLineModuleBlacklist)],
            report.Blacklist);
        Assert.Equal(["/etc/modules-load.d/k8s.conf"], report.BootLoadSources);
        Assert.False(report.BootLoadConfigured);
        Assert.False(report.ManualModprobeWorks);
    }

    [Fact]
    public async Task Modprobe_blacklist_on_the_command_line_defeats_the_listing_but_not_an_explicit_modprobe()
    {
        // The parameter is quoted on that command line, as a bootloader may write it.
        var report = await ConntrackFixtures.ProbeAsync("cmdline-modprobe-blacklist");

        Assert.Equal(
            [new BlacklistEntry(BlacklistEntry.CommandLine, null, "modprobe.blacklist=nouveau,nf_conntrack", BlacklistKind.CommandLineModprobeBlacklist)],
            report.Blacklist);
        Assert.False(report.BootLoadConfigured);
        Assert.True(report.ManualModprobeWorks);
    }

    [Fact]
    public async Task An_install_line_under_run_stops_modprobe_now_but_not_the_next_boot()
    {
        var report = await ConntrackFixtures.ProbeAsync("run-install-false");

        var entry = Assert.Single(report.Blacklist);
        Assert.Equal(new BlacklistEntry("/run/modprobe.d/harden.conf", 2, "install nf_conntrack /bin/false", BlacklistKind.InstallCommand), entry);
        Assert.True(entry.GoneAfterReboot);
        Assert.False(report.ManualModprobeWorks);
        Assert.True(report.BootLoadConfigured);
    }

    [Fact]
    public async Task A_packaged_blacklist_masked_only_under_run_defeats_the_next_boot()
    {
        using var tree = new TemporaryHostTree();
        tree.WriteFile("rootfs/etc/modules-load.d/k8s.conf", "nf_conntrack\n");
        tree.WriteFile("rootfs/usr/lib/modprobe.d/hardening.conf", "install nf_conntrack /bin/true\n");
        tree.CreateSymbolicLink("rootfs/run/modprobe.d/hardening.conf", "/dev/null");

        var report = await tree.ProbeAsync();

        Assert.Equal([new BlacklistEntry("/usr/lib/modprobe.d/hardening.conf", 1, "install nf_conntrack /bin/true", BlacklistKind.InstallCommand)], report.Blacklist);
        Assert.True(report.ManualModprobeWorks);
        Assert.False(report.BootLoadConfigured);
    }
}
