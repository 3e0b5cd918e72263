using System.Text.Json;
using NetfilterExporter.Check;
using NetfilterExporter.Configuration;
using NetfilterExporter.Sources;
using NetfilterExporter.TestSupport;

namespace NetfilterExporter.Unit.Tests.MicroK8s;

/// <summary>
/// A node is a conntrack fixture (procfs, sysfs, rootfs) with a MicroK8s build laid into its rootfs: what `check` says of
/// nf_conntrack at the next boot depends on whether that build's kubelite loads it.
/// </summary>
public sealed class KubeliteConntrackTests
{
    [Theory]
    [InlineData("4705", true)]
    [InlineData("today", true)]
    [InlineData("pre-4705", false)]
    public async Task Kubelite_that_loads_nf_conntrack_is_a_boot_source(string shape, bool loadsAtBoot)
    {
        using var node = Node("loaded-not-persistent", shape);

        var (exit, json) = await CheckAsync(node);

        var conntrack = json.RootElement.GetProperty("conntrack");
        Assert.Equal(loadsAtBoot, conntrack.GetProperty("bootLoadConfigured").GetBoolean());
        Assert.Equal(loadsAtBoot, conntrack.GetProperty("bootLoadSources").EnumerateArray().Any(source => source.GetString() == "/snap/microk8s/current/run-kubelite-with-args"));
        Assert.Equal(!loadsAtBoot, Ids(json).Contains("conntrack-not-persistent"));
        Assert.Equal(loadsAtBoot ? 0 : 1, exit);
    }

    [Fact]
    public async Task An_install_line_that_refuses_modprobe_defeats_kubelite_too()
    {
        using var node = Node("install-false", "today");

        var (_, json) = await CheckAsync(node);

        var conntrack = json.RootElement.GetProperty("conntrack");
        Assert.False(conntrack.GetProperty("bootLoadConfigured").GetBoolean());
        Assert.DoesNotContain(conntrack.GetProperty("bootLoadSources").EnumerateArray(), source => source.GetString() == "/snap/microk8s/current/run-kubelite-with-args");
    }

    [Fact]
    public async Task A_blacklist_line_does_not_stop_kubelites_explicit_modprobe()
    {
        using var node = Node("blacklist-line", "today");

        var (_, json) = await CheckAsync(node);

        Assert.True(json.RootElement.GetProperty("conntrack").GetProperty("bootLoadConfigured").GetBoolean());
        Assert.Contains("conntrack-blacklisted", Ids(json));
    }

    [Fact]
    public async Task In_an_lxc_container_kubelite_cannot_load_it()
    {
        using var node = Node("loaded-not-persistent", "today");
        Directory.CreateDirectory(node.Combine("rootfs", "run", "systemd"));
        await File.WriteAllTextAsync(node.Combine("rootfs", "run", "systemd", "container"), "lxc\n", TestContext.Current.CancellationToken);

        var (_, json) = await CheckAsync(node);

        Assert.False(json.RootElement.GetProperty("conntrack").GetProperty("bootLoadConfigured").GetBoolean());
        Assert.Contains("conntrack-not-persistent", Ids(json));
    }

    [Theory]
    [InlineData("classic-4755", true)]
    [InlineData("4963", true)]
    [InlineData("5021", false)]
    [InlineData("today-nftables", true)]
    public async Task An_exposed_build_is_a_warning_naming_the_ports_the_next_stop_start_black_holes(string shape, bool exposed)
    {
        using var node = Node("persistent-etc", shape);

        var (exit, json) = await CheckAsync(node);

        var microk8s = json.RootElement.GetProperty("microk8s");
        Assert.Equal(exposed, microk8s.GetProperty("stopLeavesStaleRules").GetBoolean());
        var finding = json.RootElement.GetProperty("findings").EnumerateArray().Where(item => item.GetProperty("id").GetString() == "microk8s-stop-leaves-stale-rules").ToList();
        Assert.Equal(exposed ? 1 : 0, finding.Count);
        Assert.Equal(exposed ? 1 : 0, exit);
        if (exposed)
        {
            Assert.Contains("(tcp/80, tcp/443)", finding[0].GetProperty("summary").GetString(), StringComparison.Ordinal);
            Assert.Contains(finding[0].GetProperty("fixes").EnumerateArray().SelectMany(fix => fix.GetProperty("commands").EnumerateArray()),
                command => command.GetString()!.StartsWith("sudo snap refresh microk8s --channel=1.", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Without_microk8s_the_collector_is_skipped_and_nothing_else_changes()
    {
        var output = new StringWriter();
        var options = CommandLine.Parse([.. Fixture.ConntrackFlags("persistent-etc"), "--output=json", Fixture.ExampleFlag("healthy.legacy-ipv4.txt")], true, _ => null, SourceTable.Flags);

        Assert.Equal(0, await CheckCommand.RunAsync(options, output, CancellationToken.None));

        using var json = JsonDocument.Parse(output.ToString());
        Assert.Equal(["iptables_legacy_ipv4", "conntrack"], json.RootElement.GetProperty("collectors").EnumerateArray().Select(collector => collector.GetProperty("name").GetString()));
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("microk8s").ValueKind);
    }

    private static TemporaryDirectory Node(string conntrackNode, string microK8sShape)
    {
        var node = new TemporaryDirectory("nfx-microk8s-node");
        FixtureTree.Copy(Fixture.ConntrackNode(conntrackNode), node.Path);
        FixtureTree.Copy(MicroK8sProbeTests.Root(microK8sShape), node.Combine("rootfs"));
        return node;
    }

    private static async Task<(int Exit, JsonDocument Json)> CheckAsync(TemporaryDirectory node)
    {
        var output = new StringWriter();
        var options = CommandLine.Parse(
            [$"--path.procfs={node.Combine("proc")}", $"--path.sysfs={node.Combine("sys")}", $"--path.rootfs={node.Combine("rootfs")}", "--output=json",
             Fixture.ExampleFlag("healthy.legacy-ipv4.txt")],
            true, _ => null, SourceTable.Flags);
        var exit = await CheckCommand.RunAsync(options, output, CancellationToken.None);
        return (exit, JsonDocument.Parse(output.ToString()));
    }

    private static List<string?> Ids(JsonDocument json) =>
        json.RootElement.GetProperty("findings").EnumerateArray().Select(finding => finding.GetProperty("id").GetString()).ToList();
}
