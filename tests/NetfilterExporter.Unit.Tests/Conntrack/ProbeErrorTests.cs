using System.Net.Sockets;
using NetfilterExporter.Conntrack;
using Xunit;

namespace NetfilterExporter.Unit.Tests.Conntrack;

public sealed class ProbeErrorTests
{
    [Theory]
    [InlineData("--path.procfs")]
    [InlineData("--path.sysfs")]
    [InlineData("--path.rootfs")]
    public async Task A_missing_root_names_its_flag_and_path(string flag)
    {
        using var tree = new TemporaryHostTree();
        var missing = Path.Join(tree.Root, "not-mounted");
        var paths = flag switch
        {
            "--path.procfs" => tree.Paths with { ProcFs = missing },
            "--path.sysfs" => tree.Paths with { SysFs = missing },
            _ => tree.Paths with { RootFs = missing },
        };

        var error = await Assert.ThrowsAsync<ConntrackProbeException>(() => new ConntrackProbe(paths).ProbeAsync(CancellationToken.None));

        Assert.Contains($"{flag} {missing} does not exist", error.Message);
    }

    [Fact]
    public async Task A_procfs_root_that_is_a_file_is_an_error()
    {
        using var tree = new TemporaryHostTree();
        var file = tree.WriteFile("proc-as-file", "");

        var error = await Assert.ThrowsAsync<ConntrackProbeException>(
            () => new ConntrackProbe(tree.Paths with { ProcFs = file }).ProbeAsync(CancellationToken.None));

        Assert.Contains($"--path.procfs {file} is a file", error.Message);
    }

    [Fact]
    public async Task An_empty_directory_given_as_procfs_is_an_error_not_a_missing_module()
    {
        // A DaemonSet that forgot to mount the node's /proc must not report "nf_conntrack not loaded".
        using var tree = new TemporaryHostTree();
        var empty = Directory.CreateDirectory(Path.Join(tree.Root, "empty")).FullName;
        File.WriteAllText(Path.Join(empty, "placeholder"), "");

        var error = await Assert.ThrowsAsync<ConntrackProbeException>(
            () => new ConntrackProbe(tree.Paths with { ProcFs = empty }).ProbeAsync(CancellationToken.None));

        Assert.Contains($"--path.procfs {empty} has no sys/kernel/osrelease", error.Message);
    }

    [Fact]
    public async Task A_symlink_loop_between_config_files_names_the_file()
    {
        using var tree = new TemporaryHostTree();
        tree.CreateSymbolicLink("rootfs/etc/modules-load.d/a.conf", "b.conf");
        tree.CreateSymbolicLink("rootfs/etc/modules-load.d/b.conf", "/etc/modules-load.d/a.conf");

        var error = await Assert.ThrowsAsync<ConntrackProbeException>(tree.ProbeAsync);

        Assert.Contains("/etc/modules-load.d/a.conf", error.Message);
        Assert.Contains("symlink loop", error.Message);
    }

    [Fact]
    public async Task A_directory_that_links_to_itself_names_the_directory()
    {
        using var tree = new TemporaryHostTree();
        tree.CreateSymbolicLink("rootfs/etc/modprobe.d", "../etc/modprobe.d");

        var error = await Assert.ThrowsAsync<ConntrackProbeException>(tree.ProbeAsync);

        Assert.Contains("/etc/modprobe.d", error.Message);
        Assert.Contains("symlink loop", error.Message);
    }

    [Fact]
    public async Task An_unreadable_config_file_names_the_file()
    {
        // chmod 000 does not stop root, and tests run as root; a socket cannot be opened by anyone (ENXIO).
        using var tree = new TemporaryHostTree();
        var socketPath = Path.Join(tree.Root, "rootfs", "etc", "modprobe.d", "conntrack.conf");
        Directory.CreateDirectory(Path.GetDirectoryName(socketPath)!);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));

        var error = await Assert.ThrowsAsync<ConntrackProbeException>(tree.ProbeAsync);

        Assert.Contains("cannot read /etc/modprobe.d/conntrack.conf", error.Message);
    }

    [Fact]
    public async Task A_directory_where_a_sysctl_file_is_expected_names_the_file()
    {
        var paths = ConntrackFixtures.PathsOf("sysctl-is-directory");

        var error = await Assert.ThrowsAsync<ConntrackProbeException>(() => new ConntrackProbe(paths).ProbeAsync(CancellationToken.None));

        Assert.Contains(Path.Join(paths.ProcFs, "sys", "net", "netfilter", "nf_conntrack_count"), error.Message);
        Assert.Contains("is a directory", error.Message);
    }

    [Fact]
    public async Task Cancellation_is_honoured()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => new ConntrackProbe(ConntrackFixtures.PathsOf("persistent-etc")).ProbeAsync(cancelled.Token));
    }
}
