using BenchmarkDotNet.Attributes;
using NetfilterExporter.Assessment;
using NetfilterExporter.Benchmarks.Cri;
using NetfilterExporter.Benchmarks.Tables;
using NetfilterExporter.Collection;
using NetfilterExporter.Conntrack;
using NetfilterExporter.Cri;
using NetfilterExporter.Exposition;
using NetfilterExporter.HostPorts;
using NetfilterExporter.Instrumentation;
using NetfilterExporter.Iptables;
using NetfilterExporter.TestSupport.Cri;
using Prometheus;

namespace NetfilterExporter.Benchmarks;

/// <summary>
/// What the runtime check adds to a fresh scrape (issue 13): one ListPodSandbox over a unix socket to a runtime that
/// lists <see cref="Sandboxes"/> sandboxes with the labels and annotations the kubelet gives them, and the join of a
/// 25,000-rule table's claims with them in the assessment and the exposition. Not sealed: BenchmarkDotNet derives from it.
/// </summary>
public class CriBenchmarks
{
    private const int HostPortPods = 20;

    private FakeCriRuntime runtime = null!;
    private HostPortObservation observation = null!;
    private NetfilterExporter.Cri.PodSandboxes listed = null!;
    private BuildInfo build = null!;
    private byte[] answer = null!;

    [Params(500)]
    public int Sandboxes { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        using var stream = new MemoryStream(NatTableWriter.Generate(new TableShape(25_000, HostPortPods, StalePods: 0)), writable: false);
        observation = new HostPortObservation(new RuleSource(IptablesBackend.Legacy, IpFamily.IPv4),
            HostPortAnalyzer.Analyze(await NatTableParser.ParseAsync(stream, "generated", CancellationToken.None)));
        // The host port pods' sandboxes (the generated table's generation-1 ids) and the node's other pods.
        var sandboxes = KubeletSandboxes.Create(Sandboxes, HostPortPods);
        runtime = await FakeCriRuntime.StartAsync(FakeCriBehaviour.Sandboxes(sandboxes), CancellationToken.None);
        var response = new ListPodSandboxResponse();
        response.Items.AddRange(sandboxes);
        answer = Google.Protobuf.MessageExtensions.ToByteArray(response);
        listed = (NetfilterExporter.Cri.PodSandboxes)await new CriCollector(runtime.SocketPath, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance).CollectAsync(CancellationToken.None);
        if (listed.All.Count != Sandboxes || observation.Report.Ports.SelectMany(port => port.Claims).Any(claim => listed.Find(claim.ContainerId) is not { Ready: true }))
        {
            throw new InvalidOperationException("every generated claim must be live in the runtime's list");
        }
        build = new BuildInfo("0.1.0", "0123456789abcdef", Environment.Version.ToString());
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await runtime.DisposeAsync();

    /// <summary>The cri collector's whole read: connect, one ListPodSandbox, parse the answer.</summary>
    [Benchmark]
    public Task<IReadOnlyList<Sandbox>> ListPodSandbox() => CriClient.ListPodSandboxesAsync(runtime.SocketPath, CancellationToken.None);

    /// <summary>Parsing the answer alone, as the exporter's generated parser does it.</summary>
    [Benchmark]
    public NetfilterExporter.Cri.V1.ListPodSandboxResponse ParseAnswer() => NetfilterExporter.Cri.V1.ListPodSandboxResponse.Parser.ParseFrom(answer);

    [Benchmark]
    public NetfilterExporter.Cri.V1.ListPodSandboxResponse ParseAnswerDiscardingUnknownFields() =>
        NetfilterExporter.Cri.V1.ListPodSandboxResponse.Parser.WithDiscardUnknownFields(true).ParseFrom(answer);

    /// <summary>Assessment and exposition of the snapshot without a runtime (every claim unknown).</summary>
    [Benchmark(Baseline = true)]
    public Task<byte[]> AssessAndRenderWithoutRuntime() => RenderAsync(withRuntime: false);

    /// <summary>The same with the runtime's list joined in (states, pods, the cri family).</summary>
    [Benchmark]
    public Task<byte[]> AssessAndRenderWithRuntime() => RenderAsync(withRuntime: true);

    private Task<byte[]> RenderAsync(bool withRuntime)
    {
        List<CollectorOutcome> outcomes = [new(observation.Source.CollectorName, true, TimeSpan.FromMilliseconds(120), null)];
        List<ICollectorResult> results = [observation, new ConntrackReport(true, false, true, true, ["/etc/modules-load.d/nf_conntrack.conf"], [], 1234, 262144)];
        if (withRuntime)
        {
            outcomes.Add(new CollectorOutcome(CriCollector.CollectorName, true, TimeSpan.FromMilliseconds(3), null));
            results.Add(listed);
        }
        var assessment = NodeAssessment.Of(new NodeSnapshot(DateTimeOffset.UnixEpoch, outcomes, results));
        return MetricsRenderer.SerializeAsync(SnapshotMetrics.Build(assessment, build, TimeSpan.FromSeconds(5)), ExpositionFormat.PrometheusText, CancellationToken.None);
    }
}
