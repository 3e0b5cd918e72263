using System.Text;
using NetfilterExporter.Assessment;
using NetfilterExporter.Collection;
using NetfilterExporter.Exposition;
using NetfilterExporter.HostPorts;
using NetfilterExporter.Instrumentation;
using NetfilterExporter.Iptables;

namespace NetfilterExporter.Tests.Exposition;

public sealed class MetricsRendererTests
{
    [Fact]
    public async Task Renders_the_same_snapshot_bytes_as_serialising_the_families_and_follows_a_new_snapshot()
    {
        var build = new BuildInfo("0.1.0", "abc", "10.0.0");
        var renderer = new MetricsRenderer(build, TimeSpan.FromSeconds(5), new ManualClock());
        var stale = await SnapshotAsync("after-stop-start.legacy-ipv4.txt");
        var healthy = await SnapshotAsync("healthy.legacy-ipv4.txt");

        var first = Encoding.UTF8.GetString(renderer.Render(stale));
        var again = Encoding.UTF8.GetString(renderer.Render(stale));
        var next = Encoding.UTF8.GetString(renderer.Render(healthy));

        var expected = Encoding.UTF8.GetString(TextFormat.Serialize(SnapshotMetrics.Build(stale, build, TimeSpan.FromSeconds(5))));
        Assert.StartsWith(expected, first, StringComparison.Ordinal);
        Assert.Contains("\n# HELP process_resident_memory_bytes ", first, StringComparison.Ordinal);
        Assert.StartsWith(expected, again, StringComparison.Ordinal);
        Assert.Contains("netfilter_hostport_dnat_duplicates{backend=\"legacy\",family=\"ipv4\",protocol=\"tcp\",host_ip=\"any\",port=\"80\"} 1", first, StringComparison.Ordinal);
        Assert.Contains("netfilter_hostport_dnat_duplicates{backend=\"legacy\",family=\"ipv4\",protocol=\"tcp\",host_ip=\"any\",port=\"80\"} 0", next, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serves_the_same_body_for_a_second_then_reads_the_process_metrics_again()
    {
        var clock = new ManualClock();
        var renderer = new MetricsRenderer(new BuildInfo("0.1.0", "abc", "10.0.0"), TimeSpan.FromSeconds(5), clock);
        var snapshot = await SnapshotAsync("healthy.legacy-ipv4.txt");

        var first = renderer.Render(snapshot);
        clock.Advance(MetricsRenderer.ProcessMetricsMaxAge - TimeSpan.FromMilliseconds(1));
        var withinMaxAge = renderer.Render(snapshot);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var afterMaxAge = renderer.Render(snapshot);
        clock.Advance(TimeSpan.FromMinutes(-10));
        var afterClockSetBack = renderer.Render(snapshot);

        Assert.Same(first, withinMaxAge);
        Assert.NotSame(first, afterMaxAge);
        Assert.NotSame(afterMaxAge, afterClockSetBack);
        var snapshotPart = Encoding.UTF8.GetString(first)[..Encoding.UTF8.GetString(first).IndexOf("# HELP process_", StringComparison.Ordinal)];
        Assert.StartsWith(snapshotPart, Encoding.UTF8.GetString(afterMaxAge), StringComparison.Ordinal);
        Assert.Contains("\n# HELP process_open_fds ", Encoding.UTF8.GetString(afterClockSetBack), StringComparison.Ordinal);
    }

    private static async Task<NodeAssessment> SnapshotAsync(string example)
    {
        var report = HostPortAnalyzer.Analyze(await Dumps.ParseAsync(Dumps.Example(example)));
        return NodeAssessment.Of(new NodeSnapshot(
            DateTimeOffset.UnixEpoch,
            [new CollectorOutcome("iptables_legacy_ipv4", true, TimeSpan.FromMilliseconds(3), null)],
            [new HostPortObservation(new RuleSource(IptablesBackend.Legacy, IpFamily.IPv4), report)]));
    }
}
