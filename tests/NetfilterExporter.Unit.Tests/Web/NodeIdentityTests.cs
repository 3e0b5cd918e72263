using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetfilterExporter.Check;
using NetfilterExporter.Host;
using NetfilterExporter.Instrumentation;
using NetfilterExporter.Sources;
using NetfilterExporter.TestSupport;
using NetfilterExporter.Web;

namespace NetfilterExporter.Unit.Tests.Web;

/// <summary>Which node a report describes: --node.name, else the host's name under --path.rootfs, in check, the landing page and the start-up log.</summary>
public sealed class NodeIdentityTests
{
    [Fact]
    public void The_flag_wins_then_the_hosts_etc_hostname_then_the_kernels_name()
    {
        using var empty = new TemporaryDirectory("nfx-no-hostname");
        var rootfs = Path.Join(Fixture.ConntrackNode("loaded-not-persistent"), "rootfs");

        Assert.Equal("node-a", NodeName.Resolve("node-a", rootfs));
        Assert.Equal("gpu-worker-1", NodeName.Resolve(null, rootfs));
        Assert.Equal(Environment.MachineName, NodeName.Resolve(null, empty.Path));
    }

    [Fact]
    public async Task Check_names_node_time_and_version_first_in_text_and_json()
    {
        var text = new StringWriter();
        var json = new StringWriter();

        await CheckCommand.RunAsync(Fixture.Options("persistent-etc", "--node.name=node-a", Fixture.ExampleFlag("healthy.legacy-ipv4.txt")), text, CancellationToken.None);
        await CheckCommand.RunAsync(Fixture.Options("persistent-etc", "--node.name=node-a", "--output=json", Fixture.ExampleFlag("healthy.legacy-ipv4.txt")), json, CancellationToken.None);

        Assert.Matches($@"^Node node-a, collected \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d UTC by netfilter-exporter {BuildInfo.FromAssembly().Version}\n", text.ToString());
        using var document = JsonDocument.Parse(json.ToString());
        Assert.Equal("node-a", document.RootElement.GetProperty("node").GetString());
        Assert.Equal(BuildInfo.FromAssembly().Version, document.RootElement.GetProperty("version").GetString());
        Assert.True(document.RootElement.GetProperty("collectedAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task The_landing_pages_title_and_heading_name_the_node()
    {
        var assessment = await SourceTable.Assessor(Fixture.Options("persistent-etc", "--node.name=node-a", Fixture.ExampleFlag("healthy.legacy-ipv4.txt")),
            NullLoggerFactory.Instance, TimeProvider.System).AssessAsync(CancellationToken.None);

        var page = LandingPage.Render(assessment, BuildInfo.FromAssembly(), "/metrics");

        Assert.Contains("<title>netfilter-exporter on node-a</title>", page, StringComparison.Ordinal);
        Assert.Contains("<h1>netfilter-exporter on node-a</h1>", page, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_up_names_version_node_and_what_each_enabled_collector_reads()
    {
        var logger = new LineLogger();
        var options = Fixture.Options("persistent-etc", "--node.name=node-a", Fixture.ExampleFlag("healthy.legacy-ipv4.txt"));

        StartupLog.Write(logger, new BuildInfo("0.1.0", "0123456789abcdef", "10.0.0"), SourceTable.Assessor(options, NullLoggerFactory.Instance, TimeProvider.System).Collector);

        Assert.Equal("Starting netfilter-exporter 0.1.0 (revision 0123456789abcdef, .NET 10.0.0) on node node-a", logger.Lines[0]);
        Assert.Contains($"Enabled collector iptables_legacy_ipv4: reads {RepositoryPaths.Combine("examples", "healthy.legacy-ipv4.txt")}", logger.Lines);
        // A saved dump is not this node's: auto asks no runtime about it.
        Assert.Contains("Enabled collector cri: nothing to read now, skipped until there is", logger.Lines);
        Assert.Contains(logger.Lines, line => line.StartsWith("Enabled collector conntrack: reads procfs ", StringComparison.Ordinal));
        // Every collector but the two nftables ones, which the fixture switches off (this machine's tables are not the fixture's).
        Assert.Equal(1 + SourceTable.Collectors.Count - 2, logger.Lines.Count);
        Assert.DoesNotContain(logger.Lines, line => line.Contains("nftables_", StringComparison.Ordinal));
    }

    private sealed class LineLogger : ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}
