using NetfilterExporter.MicroK8s;
using NetfilterExporter.TestSupport;

namespace NetfilterExporter.Unit.Tests.MicroK8s;

/// <summary>Files no MicroK8s build ships: each is a clear error naming the file, never a guess.</summary>
public sealed class HostileSnapTests : IDisposable
{
    private readonly TemporaryDirectory node = new("nfx-hostile-microk8s");

    public HostileSnapTests() => FixtureTree.Copy(MicroK8sProbeTests.Root("today"), node.Path);

    public void Dispose() => node.Dispose();

    private string Snap(string file) => node.Combine("snap", "microk8s", "8512", file);

    [Fact]
    public async Task A_huge_script_is_refused_by_name()
    {
        await File.WriteAllTextAsync(Snap("run-kubelite-with-args"), new string('#', 2 << 20), TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<IOException>(() => new MicroK8sProbe(node.Path).ReadAsync(CancellationToken.None));

        Assert.Equal($"/snap/microk8s/8512/run-kubelite-with-args (read at {Snap("run-kubelite-with-args")}): 2097152 bytes, more than a MicroK8s file ever holds (1 MiB)", error.Message);
    }

    [Fact]
    public async Task A_binary_file_is_refused_by_name()
    {
        await File.WriteAllBytesAsync(Snap("microk8s-stop.wrapper"), [0x7f, (byte)'E', (byte)'L', (byte)'F', 0, 0, 1], TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<IOException>(() => new MicroK8sProbe(node.Path).ReadAsync(CancellationToken.None));

        Assert.StartsWith("/snap/microk8s/8512/microk8s-stop.wrapper (read at ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("): not a text file (it holds NUL bytes or grew past 1 MiB)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_snap_yaml_names_file_and_line()
    {
        await File.WriteAllTextAsync(Snap("meta/snap.yaml"), "name: microk8s\nversion: [v1.34\n", TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<IOException>(() => new MicroK8sProbe(node.Path).ReadAsync(CancellationToken.None));

        Assert.StartsWith("/snap/microk8s/current/meta/snap.yaml: line ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_conflist_is_refused_by_name()
    {
        await File.WriteAllTextAsync(node.Combine("var/snap/microk8s/current/args/cni-network/cni.conflist"), "{\"plugins\": [", TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<IOException>(() => new MicroK8sProbe(node.Path).ReadAsync(CancellationToken.None));

        Assert.StartsWith("/var/snap/microk8s/current/args/cni-network/cni.conflist: not a CNI conflist: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_out_of_the_rootfs_stays_inside_it()
    {
        // On the node /snap/microk8s/current -> /etc would name the node's /etc, never the exporter's own.
        File.Delete(node.Combine("snap", "microk8s", "current"));
        File.CreateSymbolicLink(node.Combine("snap", "microk8s", "current"), "../../../../../../etc");

        Assert.False(new MicroK8sProbe(node.Path).Installed());
        var error = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => new MicroK8sProbe(node.Path).ReadAsync(CancellationToken.None));
        Assert.Equal($"no MicroK8s snap at /etc (read at {node.Combine("etc")})", error.Message);
    }

    [Fact]
    public async Task An_unreadable_script_is_an_error_naming_it()
    {
        // Root reads any file: a directory in its place is what root cannot read as a file.
        File.Delete(Snap("actions/common/utils.sh"));
        Directory.CreateDirectory(Snap("actions/common/utils.sh"));

        var error = await Assert.ThrowsAsync<IOException>(() => new MicroK8sProbe(node.Path).ReadAsync(CancellationToken.None));

        Assert.Equal($"/snap/microk8s/8512/actions/common/utils.sh (read at {Snap("actions/common/utils.sh")}): a directory, expected a file", error.Message);
    }

    [Fact]
    public async Task A_socket_in_a_scripts_place_is_an_error_naming_it()
    {
        File.Delete(Snap("run-kubelite-with-args"));
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(Snap("run-kubelite-with-args")));

        var error = await Assert.ThrowsAsync<IOException>(() => new MicroK8sProbe(node.Path).ReadAsync(CancellationToken.None));

        Assert.StartsWith($"cannot read /snap/microk8s/8512/run-kubelite-with-args (read at {Snap("run-kubelite-with-args")}): ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hostile_snap_fails_the_microk8s_collector_alone()
    {
        using var node = new TemporaryDirectory("nfx-hostile-node");
        FixtureTree.Copy(Fixture.ConntrackNode("persistent-etc"), node.Path);
        FixtureTree.Copy(MicroK8sProbeTests.Root("today"), node.Combine("rootfs"));
        await File.WriteAllBytesAsync(node.Combine("rootfs", "snap", "microk8s", "8512", "microk8s-stop.wrapper"), [0, 1, 2], TestContext.Current.CancellationToken);
        var options = NetfilterExporter.Configuration.CommandLine.Parse(
            [$"--path.procfs={node.Combine("proc")}", $"--path.sysfs={node.Combine("sys")}", $"--path.rootfs={node.Combine("rootfs")}", Fixture.ExampleFlag("after-stop-start.legacy-ipv4.txt")],
            false, _ => null, NetfilterExporter.Sources.SourceTable.Flags);

        var assessment = await NetfilterExporter.Sources.SourceTable.Assessor(options, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, TimeProvider.System)
            .AssessAsync(CancellationToken.None);

        var microk8s = Assert.Single(assessment.Collectors, collector => collector.Name == "microk8s");
        Assert.False(microk8s.Success);
        Assert.EndsWith("): not a text file (it holds NUL bytes or grew past 1 MiB)", microk8s.Error, StringComparison.Ordinal);
        Assert.Equal(["iptables_legacy_ipv4", "conntrack", "microk8s"], assessment.Collectors.Select(collector => collector.Name));
        Assert.All(assessment.Collectors.Where(collector => collector.Name != "microk8s"), collector => Assert.True(collector.Success, collector.Name));
        Assert.Contains(assessment.Findings, finding => finding.Id == "hostport-dnat-duplicate");
    }
}
