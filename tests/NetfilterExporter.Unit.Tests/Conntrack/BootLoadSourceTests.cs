using Xunit;

namespace NetfilterExporter.Unit.Tests.Conntrack;

public sealed class BootLoadSourceTests
{
    [Fact]
    public async Task Loaded_now_but_listed_nowhere_is_not_persistent()
    {
        var report = await ConntrackFixtures.ProbeAsync("loaded-not-persistent");

        Assert.True(report.ModuleLoaded);
        Assert.False(report.ModuleBuiltIn);
        Assert.False(report.BootLoadConfigured);
        Assert.Empty(report.BootLoadSources);
    }

    [Theory]
    [InlineData("persistent-etc", "/etc/modules-load.d/nf_conntrack.conf")]
    [InlineData("persistent-usr-lib", "/usr/lib/modules-load.d/microk8s.conf")]
    [InlineData("dash-spelling", "/etc/modules-load.d/conntrack.conf")]
    [InlineData("absolute-symlink", "/etc/modules-load.d/kubernetes.conf")]
    [InlineData("debian-modules", "/etc/modules")]
    [InlineData("cmdline-modules-load", "cmdline")]
    [InlineData("cmdline-rd-modules-load-dracut", "cmdline")]
    public async Task A_listing_makes_it_load_at_boot_and_is_reported_once_as_its_source(string caseName, string source)
    {
        var report = await ConntrackFixtures.ProbeAsync(caseName);

        Assert.Equal([source], report.BootLoadSources);
        Assert.True(report.BootLoadConfigured);
    }

    [Fact]
    public async Task A_same_named_link_to_dev_null_in_etc_masks_the_usr_lib_file()
    {
        var report = await ConntrackFixtures.ProbeAsync("usr-lib-masked-by-etc");

        Assert.Empty(report.BootLoadSources);
        Assert.False(report.BootLoadConfigured);
    }

    [Fact]
    public async Task The_next_boot_reads_no_run_files_and_so_not_their_overrides()
    {
        // k8s.conf: only the /usr/lib copy lists it; zz-conntrack.conf: only the /run copy does. A reboot empties
        // /run, so the next boot reads the /usr/lib k8s.conf that /run overrides now, and no zz-conntrack.conf.
        var report = await ConntrackFixtures.ProbeAsync("run-overrides-usr-lib");

        Assert.Equal(["/usr/lib/modules-load.d/k8s.conf"], report.BootLoadSources);
        Assert.True(report.BootLoadConfigured);
    }

    [Fact]
    public async Task Comment_lines_and_inline_comments_do_not_list_the_module()
    {
        var report = await ConntrackFixtures.ProbeAsync("comment-lines");

        Assert.Empty(report.BootLoadSources);
        Assert.False(report.BootLoadConfigured);
    }

    [Fact]
    public async Task Only_visible_conf_files_count_and_a_dangling_link_does_not_hide_a_later_file()
    {
        // /etc has *.conf.dpkg-old, a hidden .conf, a directory named extra.conf, a file without .conf and a
        // dangling gone.conf link; only /usr/lib/modules-load.d/gone.conf is a file systemd would read.
        var report = await ConntrackFixtures.ProbeAsync("ignored-entries");

        Assert.Equal(["/usr/lib/modules-load.d/gone.conf"], report.BootLoadSources);
    }

    [Fact]
    public async Task Absolute_link_targets_resolve_inside_rootfs_not_in_the_exporters_own_filesystem()
    {
        var fixture = ConntrackFixtures.PathsOf("absolute-symlink");
        var link = Path.Join(fixture.RootFs, "etc", "modules-load.d", "kubernetes.conf");
        Assert.Equal("/opt/kubernetes/modules-load.conf", new FileInfo(link).LinkTarget);
        Assert.False(File.Exists("/opt/kubernetes/modules-load.conf"), "the test needs the link to dangle outside rootfs");

        var report = await ConntrackFixtures.ProbeAsync("absolute-symlink");

        // modules.conf -> /etc/modules (absolute) reads the fixture's /etc/modules, which lists nothing.
        Assert.Equal(["/etc/modules-load.d/kubernetes.conf"], report.BootLoadSources);
    }

    [Fact]
    public async Task Debian_modules_conf_link_is_checked_in_as_a_link()
    {
        // Guards the fixture itself: a checkout without symlink support would turn it into a text file.
        var link = Path.Join(ConntrackFixtures.PathsOf("debian-modules").RootFs, "etc", "modules-load.d", "modules.conf");

        Assert.Equal("../modules", new FileInfo(link).LinkTarget);

        var report = await ConntrackFixtures.ProbeAsync("debian-modules");
        Assert.DoesNotContain("/etc/modules-load.d/modules.conf", report.BootLoadSources);
    }

    [Fact]
    public async Task Debian_etc_modules_counts_without_the_modules_load_d_link()
    {
        using var tree = new TemporaryHostTree();
        tree.WriteFile("rootfs/etc/modules", "# kernel modules to load at boot time\nnf-conntrack hashsize=65536\n");

        var report = await tree.ProbeAsync();

        Assert.Equal(["/etc/modules"], report.BootLoadSources);
    }

    [Fact]
    public async Task Other_cmdline_parameters_naming_the_module_do_not_count()
    {
        using var tree = new TemporaryHostTree();
        tree.WriteFile("proc/cmdline", "ro nf_conntrack.hashsize=65536 xmodules_load=nf_conntrack modules_load=br_netfilter quiet\n");

        var report = await tree.ProbeAsync();

        Assert.Empty(report.BootLoadSources);
    }

    [Fact]
    public async Task Rd_modules_load_does_nothing_where_the_initramfs_has_no_systemd()
    {
        // Debian's initramfs-tools: systemd ignores rd.* keys after the switch to the real root (seen on a real boot).
        var report = await ConntrackFixtures.ProbeAsync("cmdline-rd-modules-load");

        Assert.Empty(report.BootLoadSources);
        Assert.False(report.BootLoadConfigured);
    }
}
