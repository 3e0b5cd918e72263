using Xunit;

namespace NetfilterExporter.Unit.Tests.Conntrack;

public sealed class ModuleStateTests
{
    [Fact]
    public async Task A_live_line_in_proc_modules_means_loaded_as_a_module()
    {
        var report = await ConntrackFixtures.ProbeAsync("loaded-proc-modules");

        Assert.True(report.ModuleLoaded);
        Assert.False(report.ModuleBuiltIn);
        Assert.False(report.SysctlPresent);
    }

    [Fact]
    public async Task A_module_that_is_unloading_is_not_loaded_and_similar_names_do_not_count()
    {
        // nf_conntrack is Unloading; nf_conntrack_netlink is Live but is a different module.
        var report = await ConntrackFixtures.ProbeAsync("unloading-proc-modules");

        Assert.False(report.ModuleLoaded);
        Assert.False(report.ModuleBuiltIn);
    }

    [Fact]
    public async Task A_sysfs_module_directory_with_initstate_live_means_loaded_as_a_module()
    {
        var report = await ConntrackFixtures.ProbeAsync("loaded-sysfs-initstate");

        Assert.True(report.ModuleLoaded);
        Assert.False(report.ModuleBuiltIn);
        Assert.False(report.SysctlPresent);
    }

    [Fact]
    public async Task A_sysfs_module_directory_without_initstate_is_a_built_in()
    {
        var report = await ConntrackFixtures.ProbeAsync("builtin-sysfs-without-initstate");

        Assert.True(report.ModuleBuiltIn);
        Assert.True(report.ModuleLoaded);
        Assert.True(report.BootLoadConfigured);
    }

    [Theory]
    [InlineData("builtin-lib-modules")]
    [InlineData("builtin-usr-lib-modules")]
    public async Task Modules_builtin_of_the_running_release_marks_it_built_in_and_boot_safe(string caseName)
    {
        var report = await ConntrackFixtures.ProbeAsync(caseName);

        Assert.True(report.ModuleBuiltIn);
        Assert.True(report.ModuleLoaded);
        Assert.True(report.BootLoadConfigured);
        Assert.Empty(report.BootLoadSources);
    }

    [Fact]
    public async Task Without_proc_modules_the_kernel_has_no_loadable_modules_so_a_present_sysctl_is_built_in()
    {
        var report = await ConntrackFixtures.ProbeAsync("no-proc-modules");

        Assert.True(report.SysctlPresent);
        Assert.True(report.ModuleBuiltIn);
        Assert.True(report.ModuleLoaded);
        Assert.True(report.BootLoadConfigured);
    }

    [Fact]
    public async Task The_kubelite_failure_nothing_loaded_nothing_configured()
    {
        // The fixture also has modules.builtin of another kernel flavour listing nf_conntrack: it must not count.
        var report = await ConntrackFixtures.ProbeAsync("not-loaded");

        Assert.False(report.ModuleLoaded);
        Assert.False(report.ModuleBuiltIn);
        Assert.False(report.SysctlPresent);
        Assert.False(report.BootLoadConfigured);
        Assert.Empty(report.BootLoadSources);
        Assert.Empty(report.Blacklist);
        Assert.Null(report.Entries);
        Assert.Null(report.Limit);
    }
}
