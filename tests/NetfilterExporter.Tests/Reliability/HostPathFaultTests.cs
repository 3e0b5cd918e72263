using NetfilterExporter.TestSupport;

namespace NetfilterExporter.Tests.Reliability;

/// <summary>
/// Faults of the files the conntrack collector reads: a copy of a fixture node whose procfs, sysfs or rootfs
/// vanishes, becomes unreadable or grows a symlink loop while the real exporter runs. The exporter runs as
/// nobody here, because root reads a file whatever its mode says.
/// </summary>
[Collection(HeavyReliabilityCollection.Name)]
public sealed class HostPathFaultTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public static TheoryData<string> Faults => new()
    {
        "procfs-vanishes",
        "sysfs-vanishes",
        "rootfs-vanishes",
        "procfs-unreadable",
        "config-file-unreadable",
        "modules-load-symlink-loop",
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_host_path_fault_fails_only_the_conntrack_collector_and_recovers(string fault)
    {
        Prerequisites.RequireRoot();
        var setpriv = Prerequisites.RequireCommand("setpriv", "util-linux");
        using var sandbox = FaultSandbox.Create();
        var node = sandbox.PathOf("node");
        (await TestCommand.RunAsync("cp", ["-a", Fixture.ConntrackNode("persistent-etc"), node])).EnsureSuccess("copy the fixture node");
        (await TestCommand.RunAsync("chmod", ["-R", "a+rX", node])).EnsureSuccess("make the copy readable");
        sandbox.WriteHealthyCommand(sandbox.PathOf("iptables-legacy-save"), RepositoryPaths.Combine("examples", "after-stop-start.legacy-ipv4.txt"));
        await using var exporter = await ExporterProcess.StartAsync(
            [
                $"--path.procfs={node}/proc",
                $"--path.sysfs={node}/sys",
                $"--path.rootfs={node}/rootfs",
                "--iptables.backends=legacy",
                "--iptables.families=ipv4",
                $"--collector.timeout={Timeout.TotalSeconds}s",
                "--collector.min-interval=1ms",
            ],
            wrapper: [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/env", $"PATH={sandbox.SearchPath}"]);
        var healthy = await BoundedScrape.MetricsAsync(exporter, Timeout);
        Assert.Equal(1, healthy.Value("netfilter_scrape_collector_success", "collector=conntrack"));

        var (undo, expectedCause) = Inject(fault, node);
        // The healthy snapshot is served for --collector.min-interval (1ms) after it completed, and a warm client can
        // ask again within that: step past it, so that the first faulty scrape starts a collection that sees the fault.
        await Task.Delay(50, TestContext.Current.CancellationToken);
        for (var scrape = 0; scrape < 3; scrape++)
        {
            var metrics = await BoundedScrape.MetricsAsync(exporter, Timeout);

            Assert.Equal(0, metrics.Value("netfilter_scrape_collector_success", "collector=conntrack"));
            Assert.DoesNotContain(metrics.Series, series => series.Name.StartsWith("netfilter_conntrack_", StringComparison.Ordinal));
            Assert.Equal(1, metrics.Value("netfilter_scrape_collector_success", "collector=iptables_legacy_ipv4"));
            Assert.Equal(2, metrics.Value("netfilter_hostport_dnat_rules", "port=80"));
        }
        undo();
        // Likewise past the last faulty snapshot, so that the next scrape starts a collection that sees the repair.
        await Task.Delay(50, TestContext.Current.CancellationToken);
        var recovered = await BoundedScrape.MetricsAsync(exporter, Timeout);

        Assert.Equal(1, recovered.Value("netfilter_scrape_collector_success", "collector=conntrack"));
        Assert.Equal(1, recovered.Value("netfilter_conntrack_boot_load_configured"));
        await BoundedScrape.WaitForLogAsync(exporter, "collector conntrack recovered");
        var failures = BoundedScrape.LogLines(exporter, "collector conntrack failed");
        Assert.True(failures.Count == 1, $"expected the failure logged once:\n{exporter.Log}");
        Assert.Contains(expectedCause, failures[0], StringComparison.Ordinal);
    }

    /// <returns>How to take the fault away again, and the text the logged cause must contain.</returns>
    private static (Action Undo, string Cause) Inject(string fault, string node)
    {
        switch (fault)
        {
            case "procfs-vanishes":
                return Vanish(Path.Combine(node, "proc"), "--path.procfs");
            case "sysfs-vanishes":
                return Vanish(Path.Combine(node, "sys"), "--path.sysfs");
            case "rootfs-vanishes":
                return Vanish(Path.Combine(node, "rootfs"), "--path.rootfs");
            case "procfs-unreadable":
                return MakeUnreadable(Path.Combine(node, "proc"), "cannot be read");
            case "config-file-unreadable":
                return MakeUnreadable(Path.Combine(node, "rootfs", "etc", "modules-load.d", "nf_conntrack.conf"), "cannot read /etc/modules-load.d/nf_conntrack.conf");
            case "modules-load-symlink-loop":
                var loop = Path.Combine(node, "rootfs", "etc", "modules-load.d", "loop.conf");
                File.CreateSymbolicLink(loop, "loop.conf");
                return (() => File.Delete(loop), "symlink loop");
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, "no such fault");
        }
    }

    private static (Action Undo, string Cause) Vanish(string path, string flag)
    {
        Directory.Move(path, path + ".gone");
        return (() => Directory.Move(path + ".gone", path), $"{flag} {path} does not exist");
    }

    private static (Action Undo, string Cause) MakeUnreadable(string path, string cause)
    {
        var mode = File.GetUnixFileMode(path);
        File.SetUnixFileMode(path, UnixFileMode.None);
        return (() => File.SetUnixFileMode(path, mode), cause);
    }
}
