using System.Globalization;
using System.Text;
using NetfilterExporter.Assessment;
using NetfilterExporter.Collection;
using NetfilterExporter.Conntrack;
using NetfilterExporter.Exposition;
using NetfilterExporter.Host;
using NetfilterExporter.HostPorts;
using NetfilterExporter.Instrumentation;
using NetfilterExporter.Iptables;
using NetfilterExporter.Sources;
using NetfilterExporter.TestSupport;
using Prometheus;

namespace NetfilterExporter.Unit.Tests.Exposition;

/// <summary>
/// node_exporter's end-to-end pattern: the whole exposition of a known node compared with a checked-in file that
/// promtool accepts (GoldenPromtoolTests, in the lane with child processes). Set UPDATE_GOLDEN=1 to rewrite the file after an intended change, and review the diff.
/// </summary>
public sealed class GoldenExpositionTests
{

    [Theory]
    [InlineData("text")]
    [InlineData("openmetrics")]
    public async Task Exposition_of_a_known_node_matches_the_golden_file(string format)
    {
        var (name, exposition) = format == "text" ? ("after-stop-start.prom", ExpositionFormat.PrometheusText) : ("after-stop-start.om.txt", ExpositionFormat.OpenMetricsText);

        await GoldenFile.AssertMatchesAsync(name, await RenderAsync(exposition));
    }

    /// <summary>
    /// A HELP text is read on a dashboard or in a scrape by someone who never saw this node's flags: it says what the
    /// metric means, with real paths, and names a flag without the value it has here.
    /// </summary>
    [Fact]
    public async Task Help_texts_name_no_placeholder_and_no_flag_value()
    {
        var help = (await RenderAsync(ExpositionFormat.PrometheusText)).Split('\n').Where(line => line.StartsWith("# HELP ", StringComparison.Ordinal)).ToList();

        Assert.True(help.Count >= 20, $"only {help.Count} HELP lines");
        Assert.All(help, line => Assert.DoesNotMatch(@"<[a-z]+>|\([0-9.]+m?s\)|--[a-z.-]+[= ]\S*[0-9]", line));
        Assert.Contains(help, line => line.Contains("/proc/sys/net/netfilter/nf_conntrack_max exists (read under --path.procfs)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Numbers_are_written_the_same_in_a_culture_with_a_decimal_comma()
    {
        var invariant = await RenderAsync(ExpositionFormat.PrometheusText);
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            Assert.Equal(invariant, await RenderAsync(ExpositionFormat.PrometheusText));
            Assert.Contains("{collector=\"iptables_legacy_ipv4\"} 0.0125\n", invariant, StringComparison.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    private static async Task<string> RenderAsync(ExpositionFormat format)
    {
        var ipv4 = HostPortAnalyzer.Analyze(await Dumps.ParseAsync(Dumps.Example("after-stop-start.legacy-ipv4.txt")));
        var ipv6 = HostPortAnalyzer.Analyze(await Dumps.ParseAsync(Dumps.Fixture("after-stop-start.legacy-ipv6.txt")));
        var node = Fixture.ConntrackNode("persistent-etc");
        var conntrack = await new ConntrackProbe(new HostPaths($"{node}/proc", $"{node}/sys", $"{node}/rootfs")).ProbeAsync(CancellationToken.None);
        var snapshot = new NodeSnapshot(
            DateTimeOffset.UnixEpoch,
            [
                new CollectorOutcome("iptables_legacy_ipv4", true, TimeSpan.FromMilliseconds(12.5), null),
                new CollectorOutcome("iptables_legacy_ipv6", true, TimeSpan.FromMilliseconds(8), null),
                new CollectorOutcome("iptables_nft_ipv4", false, TimeSpan.FromMilliseconds(1), "iptables-nft-save not found"),
                new CollectorOutcome("conntrack", true, TimeSpan.FromMilliseconds(0.25), null),
                new CollectorOutcome("cri", true, TimeSpan.FromMilliseconds(3), null),
            ],
            [
                new HostPortObservation(new RuleSource(IptablesBackend.Legacy, IpFamily.IPv4), ipv4),
                new HostPortObservation(new RuleSource(IptablesBackend.Legacy, IpFamily.IPv6), ipv6),
                conntrack,
                ExampleSandboxes.AfterStopStart(),
            ]);
        var registry = SnapshotMetrics.Build(SourceTable.Assess(snapshot), new BuildInfo("0.1.0", "0123456789abcdef", "10.0.0"));
        return Encoding.UTF8.GetString(await MetricsRenderer.SerializeAsync(registry, format, CancellationToken.None));
    }
}
