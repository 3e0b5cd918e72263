using NetfilterExporter.Conntrack;
using Xunit;

namespace NetfilterExporter.Tests.Conntrack;

public sealed class BlacklistTests
{
    [Fact]
    public async Task A_blacklist_line_is_reported_with_file_and_line_and_defeats_the_listing()
    {
        var report = await ConntrackFixtures.ProbeAsync("blacklist-line");

        Assert.Equal([new BlacklistEntry("/etc/modprobe.d/blacklist-conntrack.conf", 4, "blacklist nf_conntrack")], report.Blacklist);
        Assert.Equal(["/etc/modules-load.d/nf_conntrack.conf"], report.BootLoadSources);
        Assert.False(report.BootLoadConfigured);
    }

    [Fact]
    public async Task Install_lines_running_false_or_true_are_reported_and_loading_install_lines_are_not()
    {
        // conntrack-options.conf holds commented, similar-named, options and modprobe-running install lines.
        var report = await ConntrackFixtures.ProbeAsync("install-false");

        Assert.Equal(
            [
                new BlacklistEntry("/usr/lib/modprobe.d/cis-hardening.conf", 3, "install nf_conntrack /bin/false"),
                new BlacklistEntry("/etc/modprobe.d/disable-conntrack.conf", 2, "install nf-conntrack /bin/true"),
            ],
            report.Blacklist);
        Assert.False(report.BootLoadConfigured);
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
        Assert.Equal([new BlacklistEntry("/etc/modprobe.d/blacklist-conntrack.conf", 1, "blacklist nf_conntrack")], report.Blacklist);
    }
}
