using BenchmarkDotNet.Attributes;
using NetfilterExporter.Assessment;
using NetfilterExporter.Collection;
using NetfilterExporter.Conntrack;
using NetfilterExporter.Exposition;
using NetfilterExporter.HostPorts;
using NetfilterExporter.Instrumentation;
using NetfilterExporter.Iptables;
using NetfilterExporter.Sources;
using NetfilterExporter.TestSupport.Tables;
using Prometheus;

namespace NetfilterExporter.Benchmarks;

/// <summary>
/// What a scrape served from the coalesced snapshot costs: the snapshot's registry built and serialised by
/// prometheus-net from scratch (what each scrape would cost without <see cref="MetricsRenderer"/>), the exporter's
/// own registry, and the renderer's body, with the self part read afresh and within
/// <see cref="MetricsRenderer.SelfMetricsMaxAge"/>. Not sealed: BenchmarkDotNet derives from it.
/// </summary>
public class ExpositionBenchmarks
{
    private NodeAssessment snapshot = null!;
    private BuildInfo build = null!;
    private SelfMetrics self = null!;
    private MetricsRenderer renderer = null!;
    private MetricsRenderer rendererReadingSelfEachTime = null!;

    [Params(20, 500)]
    public int HostPortPods { get; set; }

    [Params(ExpositionFormat.PrometheusText, ExpositionFormat.OpenMetricsText)]
    public ExpositionFormat Format { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        using var stream = new MemoryStream(NatTableWriter.Generate(new TableShape(25_000, HostPortPods)), writable: false);
        var report = HostPortAnalyzer.Analyze(await NatTableParser.ParseAsync(stream, "generated", CancellationToken.None));
        var source = new RuleSource(IptablesBackend.Legacy, IpFamily.IPv4);
        snapshot = SourceTable.Assess(new NodeSnapshot(
            DateTimeOffset.UnixEpoch,
            [
                new CollectorOutcome(source.CollectorName, true, TimeSpan.FromMilliseconds(120), null),
                new CollectorOutcome(ConntrackCollector.CollectorName, true, TimeSpan.FromMilliseconds(1), null),
            ],
            [
                new HostPortObservation(source, report),
                new ConntrackReport(true, false, true, true, ["/etc/modules-load.d/nf_conntrack.conf"], [], true, 1234, 262144),
            ]));
        build = new BuildInfo("0.1.0", "0123456789abcdef", Environment.Version.ToString());
        self = new SelfMetrics();
        renderer = new MetricsRenderer(build, self, TimeProvider.System);
        rendererReadingSelfEachTime = new MetricsRenderer(build, self, new SteppingClock(MetricsRenderer.SelfMetricsMaxAge));
        // The renderer must start with the bytes of the plain serialisation, or its timing means nothing.
        var plain = await SnapshotRegistry();
        var prefix = Format == ExpositionFormat.OpenMetricsText ? plain[..^"# EOF\n".Length] : plain;
        if (!(await renderer.RenderAsync(snapshot, Format, CancellationToken.None)).AsSpan().StartsWith(prefix))
        {
            throw new InvalidOperationException("MetricsRenderer output differs from prometheus-net's serialisation of the snapshot's registry");
        }
    }

    /// <summary>What each scrape would cost if it built and serialised the snapshot's registry itself.</summary>
    [Benchmark(Baseline = true)]
    public Task<byte[]> SnapshotRegistry() => MetricsRenderer.SerializeAsync(SnapshotMetrics.Build(snapshot, build), Format, CancellationToken.None);

    [Benchmark]
    public Task<byte[]> SelfRegistry() => MetricsRenderer.SerializeAsync(self.Registry, Format, CancellationToken.None);

    /// <summary>The body from <see cref="MetricsRenderer"/>: the snapshot part serialised once, the self part every time.</summary>
    [Benchmark]
    public ValueTask<byte[]> RenderedScrape() => rendererReadingSelfEachTime.RenderAsync(snapshot, Format, CancellationToken.None);

    /// <summary>What GET /metrics does per scrape: the body rendered at most a second ago.</summary>
    [Benchmark]
    public ValueTask<byte[]> CachedScrape() => renderer.RenderAsync(snapshot, Format, CancellationToken.None);
}
