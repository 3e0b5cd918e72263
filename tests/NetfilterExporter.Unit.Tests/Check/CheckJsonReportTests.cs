using NetfilterExporter.Assessment;
using NetfilterExporter.Check;
using NetfilterExporter.Collection;
using NetfilterExporter.Conntrack;
using NetfilterExporter.Cri;
using NetfilterExporter.Host;
using NetfilterExporter.HostPorts;
using NetfilterExporter.Iptables;
using NetfilterExporter.Sources;
using NetfilterExporter.TestSupport;

namespace NetfilterExporter.Unit.Tests.Check;

/// <summary>
/// `check --output json` is a contract for scripts (docs/contract.md §5): every field name and nesting level is
/// pinned by a checked-in file. Set UPDATE_GOLDEN=1 to rewrite it after an intended change, and review the diff.
/// </summary>
public sealed class CheckJsonReportTests
{
    private static readonly string GoldenPath = RepositoryPaths.Combine("tests", "Fixtures", "golden", "check-after-stop-start.json");

    [Fact]
    public async Task Json_of_a_known_node_matches_the_golden_file()
    {
        var table = HostPortAnalyzer.Analyze(await Dumps.ParseAsync(Dumps.Example("after-stop-start.legacy-ipv4.txt")));
        var node = Fixture.ConntrackNode("blacklist-line");
        var conntrack = await new ConntrackProbe(new HostPaths($"{node}/proc", $"{node}/sys", $"{node}/rootfs")).ProbeAsync(CancellationToken.None);
        var assessment = SourceTable.Assess(new NodeSnapshot(
            DateTimeOffset.UnixEpoch,
            [
                new CollectorOutcome("iptables_legacy_ipv4", true, TimeSpan.FromMilliseconds(12.5), null),
                new CollectorOutcome("iptables_nft_ipv4", false, TimeSpan.FromMilliseconds(1), "iptables-nft-save not found"),
                new CollectorOutcome(ConntrackCollector.CollectorName, true, TimeSpan.FromMilliseconds(0.25), null),
                new CollectorOutcome(CriCollector.CollectorName, true, TimeSpan.FromMilliseconds(3), null),
            ],
            [new HostPortObservation(new RuleSource(IptablesBackend.Legacy, IpFamily.IPv4), table), conntrack, ExampleSandboxes.AfterStopStart()],
            Node: "gpu-worker-1"));

        var actual = CheckJsonReport.Render(assessment);
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            await File.WriteAllTextAsync(GoldenPath, actual, TestContext.Current.CancellationToken);
        }

        Assert.Equal(await File.ReadAllTextAsync(GoldenPath, TestContext.Current.CancellationToken), actual);
    }
}
