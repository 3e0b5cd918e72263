using System.Text;
using NetfilterExporter.Assessment;
using NetfilterExporter.Collection;
using NetfilterExporter.Exposition;
using NetfilterExporter.HostPorts;
using NetfilterExporter.Instrumentation;
using NetfilterExporter.Iptables;
using NetfilterExporter.Sources;
using Prometheus;

namespace NetfilterExporter.Unit.Tests.Exposition;

public sealed class MetricsRendererTests
{
    private static readonly BuildInfo Build = new("0.1.0", "abc", "10.0.0");

    [Theory]
    [InlineData("text")]
    [InlineData("openmetrics")]
    public async Task Renders_the_snapshots_registry_then_the_exporters_own_and_follows_a_new_snapshot(string name)
    {
        var format = name == "text" ? ExpositionFormat.PrometheusText : ExpositionFormat.OpenMetricsText;
        var renderer = new MetricsRenderer(Build, new SelfMetrics(), TestClock.Create());
        var stale = await SnapshotAsync("after-stop-start.legacy-ipv4.txt");
        var healthy = await SnapshotAsync("healthy.legacy-ipv4.txt");

        var first = Encoding.UTF8.GetString(await renderer.RenderAsync(stale, format, CancellationToken.None));
        var again = Encoding.UTF8.GetString(await renderer.RenderAsync(stale, format, CancellationToken.None));
        var next = Encoding.UTF8.GetString(await renderer.RenderAsync(healthy, format, CancellationToken.None));

        var whole = Encoding.UTF8.GetString(await MetricsRenderer.SerializeAsync(SnapshotMetrics.Build(stale, Build), format, CancellationToken.None));
        var expected = format == ExpositionFormat.OpenMetricsText ? whole[..^"# EOF\n".Length] : whole;
        Assert.StartsWith(expected, first, StringComparison.Ordinal);
        Assert.Contains("\n# HELP process_resident_memory_bytes ", first, StringComparison.Ordinal);
        Assert.Contains("\n# HELP promhttp_metric_handler_requests_in_flight ", first, StringComparison.Ordinal);
        Assert.StartsWith(expected, again, StringComparison.Ordinal);
        var duplicates = "netfilter_hostport_dnat_duplicates{backend=\"legacy\",family=\"ipv4\",protocol=\"tcp\",host_ip=\"any\",port=\"80\"} ";
        Assert.Contains(duplicates + (format == ExpositionFormat.OpenMetricsText ? "1.0\n" : "1\n"), first, StringComparison.Ordinal);
        Assert.Contains(duplicates + (format == ExpositionFormat.OpenMetricsText ? "0.0\n" : "0\n"), next, StringComparison.Ordinal);
        // One document: OpenMetrics ends once, at the very end.
        var ends = first.Split("# EOF").Length - 1;
        Assert.Equal(format == ExpositionFormat.OpenMetricsText ? 1 : 0, ends);
        Assert.Equal(format == ExpositionFormat.OpenMetricsText, first.EndsWith("\n# EOF\n", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_port_that_disappears_from_the_tables_disappears_from_the_metrics()
    {
        var renderer = new MetricsRenderer(Build, new SelfMetrics(), TestClock.Create());
        var withPorts = await SnapshotAsync("after-stop-start.legacy-ipv4.txt");
        var withoutPorts = SourceTable.Assess(new NodeSnapshot(DateTimeOffset.UnixEpoch,
            [new CollectorOutcome("iptables_legacy_ipv4", true, TimeSpan.Zero, null)],
            [new HostPortObservation(new RuleSource(IptablesBackend.Legacy, IpFamily.IPv4), HostPortReport.Empty)]));

        var before = Encoding.UTF8.GetString(await renderer.RenderAsync(withPorts, ExpositionFormat.PrometheusText, CancellationToken.None));
        var after = Encoding.UTF8.GetString(await renderer.RenderAsync(withoutPorts, ExpositionFormat.PrometheusText, CancellationToken.None));

        Assert.Contains("port=\"443\"", before, StringComparison.Ordinal);
        Assert.DoesNotContain("port=", after, StringComparison.Ordinal);
        Assert.DoesNotContain("chain=\"CNI-DN-", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serves_the_same_body_for_a_second_then_reads_the_process_metrics_again()
    {
        var clock = TestClock.Create();
        var renderer = new MetricsRenderer(Build, new SelfMetrics(), clock);
        var snapshot = await SnapshotAsync("healthy.legacy-ipv4.txt");

        var first = await renderer.RenderAsync(snapshot, ExpositionFormat.PrometheusText, CancellationToken.None);
        clock.Advance(MetricsRenderer.SelfMetricsMaxAge - TimeSpan.FromMilliseconds(1));
        var withinMaxAge = await renderer.RenderAsync(snapshot, ExpositionFormat.PrometheusText, CancellationToken.None);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var afterMaxAge = await renderer.RenderAsync(snapshot, ExpositionFormat.PrometheusText, CancellationToken.None);
        clock.AdjustTime(clock.GetUtcNow() - TimeSpan.FromMinutes(10));
        var afterClockSetBack = await renderer.RenderAsync(snapshot, ExpositionFormat.PrometheusText, CancellationToken.None);

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
        return SourceTable.Assess(new NodeSnapshot(
            DateTimeOffset.UnixEpoch,
            [new CollectorOutcome("iptables_legacy_ipv4", true, TimeSpan.FromMilliseconds(3), null)],
            [new HostPortObservation(new RuleSource(IptablesBackend.Legacy, IpFamily.IPv4), report)]));
    }
}
