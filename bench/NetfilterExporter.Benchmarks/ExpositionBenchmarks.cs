using BenchmarkDotNet.Attributes;
using NetfilterExporter.Assessment;
using NetfilterExporter.Benchmarks.Tables;
using NetfilterExporter.Collection;
using NetfilterExporter.Conntrack;
using NetfilterExporter.Exposition;
using NetfilterExporter.HostPorts;
using NetfilterExporter.Instrumentation;
using NetfilterExporter.Iptables;

namespace NetfilterExporter.Benchmarks;

/// <summary>
/// What every scrape served from the coalesced snapshot costs: the snapshot's families and the process_*
/// families serialised from scratch (what GET /metrics did before <see cref="MetricsRenderer"/>), and the same
/// body from the renderer, with process_* read afresh and within <see cref="MetricsRenderer.ProcessMetricsMaxAge"/> (goal 3). Not sealed: BenchmarkDotNet derives from it.
/// </summary>
public class ExpositionBenchmarks
{
    private static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(5);

    private NodeAssessment snapshot = null!;
    private BuildInfo build = null!;
    private MetricsRenderer renderer = null!;
    private MetricsRenderer rendererReadingProcessEachTime = null!;

    [Params(20, 500)]
    public int HostPortPods { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        using var stream = new MemoryStream(NatTableWriter.Generate(new TableShape(25_000, HostPortPods)), writable: false);
        var report = HostPortAnalyzer.Analyze(await NatTableParser.ParseAsync(stream, "generated", CancellationToken.None));
        var source = new RuleSource(IptablesBackend.Legacy, IpFamily.IPv4);
        snapshot = NodeAssessment.Of(new NodeSnapshot(
            DateTimeOffset.UnixEpoch,
            [
                new CollectorOutcome(source.CollectorName, true, TimeSpan.FromMilliseconds(120), null),
                new CollectorOutcome(ConntrackCollector.CollectorName, true, TimeSpan.FromMilliseconds(1), null),
            ],
            [
                new HostPortObservation(source, report),
                new ConntrackReport(true, false, true, true, ["/etc/modules-load.d/nf_conntrack.conf"], [], 1234, 262144),
            ]));
        build = new BuildInfo("0.1.0", "0123456789abcdef", Environment.Version.ToString());
        renderer = new MetricsRenderer(build, MinInterval, TimeProvider.System);
        rendererReadingProcessEachTime = new MetricsRenderer(build, MinInterval, new SteppingClock(MetricsRenderer.ProcessMetricsMaxAge));
        // The renderer must give the bytes of the plain serialisation, or its timing means nothing.
        if (!renderer.Render(snapshot).AsSpan().StartsWith(SnapshotFamilies()))
        {
            throw new InvalidOperationException("MetricsRenderer output differs from TextFormat.Serialize of the snapshot's families");
        }
    }

    [Benchmark]
    public byte[] SnapshotFamilies() => TextFormat.Serialize(SnapshotMetrics.Build(snapshot, build, MinInterval));

    [Benchmark]
    public byte[] ProcessFamilies() => TextFormat.Serialize(ProcessMetrics.Collect());

    /// <summary>What GET /metrics did per scrape before MetricsRenderer.</summary>
    [Benchmark(Baseline = true)]
    public byte[] WholeScrape() => TextFormat.Serialize(SnapshotMetrics.Build(snapshot, build, MinInterval).Concat(ProcessMetrics.Collect()));

    /// <summary>The same body from <see cref="MetricsRenderer"/>: the snapshot part rendered once, process_* read every time.</summary>
    [Benchmark]
    public byte[] RenderedScrape() => rendererReadingProcessEachTime.Render(snapshot);

    /// <summary>What GET /metrics does per scrape: the body rendered at most a second ago.</summary>
    [Benchmark]
    public byte[] CachedScrape() => renderer.Render(snapshot);
}
