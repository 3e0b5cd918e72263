using System.Text;
using System.Text.Json;
using NetfilterExporter.Assessment;
using NetfilterExporter.Check;
using NetfilterExporter.Collection;
using NetfilterExporter.Conntrack;
using NetfilterExporter.Exposition;
using NetfilterExporter.Host;
using NetfilterExporter.HostPorts;
using NetfilterExporter.Instrumentation;
using NetfilterExporter.Iptables;
using NetfilterExporter.Sources;
using NetfilterExporter.Web;
using Prometheus;

namespace NetfilterExporter.Unit.Tests.Assessment;

/// <summary>One snapshot, one verdict: `check`, its JSON, the landing page and /metrics all say the same.</summary>
public sealed class NodeAssessmentTests
{
    private static readonly BuildInfo Build = new("0.1.0", "0123456789abcdef", "10.0.0");

    [Fact]
    public async Task No_save_command_at_all_is_a_failure_everywhere_not_a_healthy_node()
    {
        var noSaveCommand = new NoSaveCommandCollector(DumpSources.DumpSourceSet.SearchedPlaces);
        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => noSaveCommand.CollectAsync(CancellationToken.None));
        var conntrack = await ConntrackAsync("persistent-etc");
        var assessment = SourceTable.Assess(new NodeSnapshot(
            DateTimeOffset.UnixEpoch,
            [new CollectorOutcome(noSaveCommand.Name, false, TimeSpan.Zero, error.Message), new CollectorOutcome(ConntrackCollector.CollectorName, true, TimeSpan.Zero, null)],
            [conntrack]));

        AssertCouldNotCollect(assessment);
        Assert.Contains("netfilter_scrape_collector_success{collector=\"iptables\"} 0\n", await MetricsAsync(assessment), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_iptables_collector_failing_is_a_failure_everywhere()
    {
        var conntrack = await ConntrackAsync("persistent-etc");
        var assessment = SourceTable.Assess(new NodeSnapshot(
            DateTimeOffset.UnixEpoch,
            [
                new CollectorOutcome("iptables_legacy_ipv4", false, TimeSpan.Zero, "exited with code 1"),
                new CollectorOutcome(ConntrackCollector.CollectorName, true, TimeSpan.Zero, null),
            ],
            [conntrack]));

        AssertCouldNotCollect(assessment);
        Assert.Contains("netfilter_scrape_collector_success{collector=\"iptables_legacy_ipv4\"} 0\n", await MetricsAsync(assessment), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_table_and_conntrack_without_findings_is_healthy_everywhere()
    {
        var table = HostPortAnalyzer.Analyze(await Dumps.ParseAsync(Dumps.Example("healthy.legacy-ipv4.txt")));
        var assessment = SourceTable.Assess(new NodeSnapshot(
            DateTimeOffset.UnixEpoch,
            [new CollectorOutcome("iptables_legacy_ipv4", true, TimeSpan.Zero, null), new CollectorOutcome(ConntrackCollector.CollectorName, true, TimeSpan.Zero, null)],
            [new HostPortObservation(new RuleSource(IptablesBackend.Legacy, IpFamily.IPv4), table), await ConntrackAsync("persistent-etc")]));

        Assert.Equal(NodeHealth.Healthy, assessment.Health);
        Assert.Contains("Status: healthy\n", CheckTextReport.Render(assessment), StringComparison.Ordinal);
        Assert.Equal(0, JsonDocument.Parse(CheckJsonReport.Render(assessment)).RootElement.GetProperty("exitCode").GetInt32());
        Assert.Contains("No findings: every host port has one DNAT claim", LandingPage.Render(assessment, Build, "/metrics"), StringComparison.Ordinal);
    }

    private static void AssertCouldNotCollect(NodeAssessment assessment)
    {
        Assert.Equal(NodeHealth.CouldNotCollect, assessment.Health);
        Assert.False(assessment.NetfilterRead);
        Assert.Contains("so no host port was checked", assessment.Status, StringComparison.Ordinal);
        Assert.Contains("Status: could not collect", CheckTextReport.Render(assessment), StringComparison.Ordinal);
        Assert.Equal(2, JsonDocument.Parse(CheckJsonReport.Render(assessment)).RootElement.GetProperty("exitCode").GetInt32());
        var page = LandingPage.Render(assessment, Build, "/metrics");
        Assert.Contains("<p class=\"critical\">FAILED: could not collect", page, StringComparison.Ordinal);
        Assert.DoesNotContain("No findings: every host port", page, StringComparison.Ordinal);
    }

    private static async Task<string> MetricsAsync(NodeAssessment assessment) =>
        Encoding.UTF8.GetString(await MetricsRenderer.SerializeAsync(SnapshotMetrics.Build(assessment, Build), ExpositionFormat.PrometheusText, CancellationToken.None));

    private static Task<ConntrackReport> ConntrackAsync(string node)
    {
        var root = Fixture.ConntrackNode(node);
        return new ConntrackProbe(new HostPaths($"{root}/proc", $"{root}/sys", $"{root}/rootfs")).ProbeAsync(CancellationToken.None);
    }
}
