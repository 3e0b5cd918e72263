using BenchmarkDotNet.Attributes;
using NetfilterExporter.Benchmarks.Cri;
using NetfilterExporter.Cri;
using NetfilterExporter.TestSupport.Cri;

namespace NetfilterExporter.Benchmarks;

/// <summary>
/// The runtime check's read (issue 13): one ListPodSandbox over a unix socket to a runtime that lists
/// <see cref="Sandboxes"/> sandboxes with the labels and annotations the kubelet gives them, and the parse of that
/// answer alone. The in-process runtime's own serialisation is inside the first figure. The whole fresh scrape, join
/// and exposition included, is compared side by side by `cri-scrape` (Cri/CriScrapeCostCommand). Not sealed:
/// BenchmarkDotNet derives from it.
/// </summary>
public class CriBenchmarks
{
    private FakeCriRuntime runtime = null!;
    private byte[] answer = null!;

    [Params(500)]
    public int Sandboxes { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var sandboxes = KubeletSandboxes.Create(Sandboxes, hostPortPods: 20);
        runtime = await FakeCriRuntime.StartAsync(FakeCriBehaviour.Sandboxes(sandboxes), CancellationToken.None);
        var response = new ListPodSandboxResponse();
        response.Items.AddRange(sandboxes);
        answer = Google.Protobuf.MessageExtensions.ToByteArray(response);
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await runtime.DisposeAsync();

    /// <summary>The cri collector's whole read: connect, one ListPodSandbox, parse the answer.</summary>
    [Benchmark(Baseline = true)]
    public Task<IReadOnlyList<Sandbox>> ListPodSandbox() => CriClient.ListPodSandboxesAsync(runtime.SocketPath, CancellationToken.None);

    /// <summary>The answer parsed keeping what the proto leaves out as unknown fields (the generated parser's default).</summary>
    [Benchmark]
    public NetfilterExporter.Cri.V1.ListPodSandboxResponse ParseAnswer() => NetfilterExporter.Cri.V1.ListPodSandboxResponse.Parser.ParseFrom(answer);

    /// <summary>The answer parsed as CriClient parses it.</summary>
    [Benchmark]
    public NetfilterExporter.Cri.V1.ListPodSandboxResponse ParseAnswerDiscardingUnknownFields() =>
        NetfilterExporter.Cri.V1.ListPodSandboxResponse.Parser.WithDiscardUnknownFields(true).ParseFrom(answer);
}
