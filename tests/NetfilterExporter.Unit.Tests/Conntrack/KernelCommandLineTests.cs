using NetfilterExporter.Conntrack;
using Xunit;

namespace NetfilterExporter.Unit.Tests.Conntrack;

/// <summary>How the command line's blacklists are read; the RealKernel suite shows the kernel and kmod agree.</summary>
public sealed class KernelCommandLineTests
{
    [Theory]
    [InlineData("ro module_blacklist=nf_conntrack", "module_blacklist=nf_conntrack")]
    [InlineData("ro module-blacklist=btrfs,nf_conntrack quiet", "module_blacklist=btrfs,nf_conntrack")]
    [InlineData("ro \"module_blacklist=nf_conntrack\" quiet", "module_blacklist=nf_conntrack")]
    [InlineData("ro module_blacklist=\"btrfs,nf_conntrack\" quiet", "module_blacklist=btrfs,nf_conntrack")]
    [InlineData("ro module_blacklist=foo module_blacklist=nf_conntrack", "module_blacklist=nf_conntrack")]
    public void The_last_module_blacklist_naming_the_module_exactly_refuses_it(string commandLine, string text)
    {
        var entry = Assert.Single(KernelCommandLine.Parse(commandLine).FindBlacklistEntries());

        Assert.Equal(new BlacklistEntry(BlacklistEntry.CommandLine, null, text, BlacklistKind.CommandLineModuleBlacklist), entry);
        Assert.True(entry.StopsManualModprobe);
    }

    [Theory]
    // The kernel keeps the last value only.
    [InlineData("module_blacklist=nf_conntrack module_blacklist=foo")]
    // The kernel compares the module's own name byte for byte; nf-conntrack loads (seen on a real boot).
    [InlineData("module_blacklist=nf-conntrack")]
    [InlineData("modprobe.blacklist=nf-conntrack")]
    [InlineData("module_blacklist=nf_conntrack_netlink,nf_conntrack_ftp modprobe.blacklist=nf_nat")]
    [InlineData("nf_conntrack.hashsize=65536 xmodule_blacklist=nf_conntrack")]
    public void Nothing_else_blacklists_it(string commandLine)
    {
        Assert.Empty(KernelCommandLine.Parse(commandLine).FindBlacklistEntries());
    }

    [Fact]
    public void Every_modprobe_blacklist_naming_it_is_reported_and_none_stops_an_explicit_modprobe()
    {
        var entries = KernelCommandLine.Parse("modprobe.blacklist=nf_conntrack quiet modprobe.blacklist=nouveau,nf_conntrack").FindBlacklistEntries().ToList();

        Assert.Equal(["modprobe.blacklist=nf_conntrack", "modprobe.blacklist=nouveau,nf_conntrack"], entries.Select(entry => entry.Text));
        Assert.All(entries, entry => Assert.False(entry.StopsManualModprobe));
    }

    [Theory]
    [InlineData("modules_load=nf_conntrack", false, true)]
    [InlineData("modules-load=br_netfilter,nf-conntrack", false, true)]
    [InlineData("rd.modules_load=nf_conntrack", false, false)]
    [InlineData("rd.modules_load=nf_conntrack", true, true)]
    [InlineData("\"modules_load=overlay nf_conntrack\"", false, false)]
    public void Modules_load_lists_it_and_rd_modules_load_only_with_systemd_in_the_initramfs(string commandLine, bool initramfsRunsSystemd, bool lists)
    {
        Assert.Equal(lists, KernelCommandLine.Parse(commandLine).ListsConntrack(initramfsRunsSystemd));
    }
}
