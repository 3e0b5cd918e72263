using BenchmarkDotNet.Attributes;
using NetfilterExporter.HostPorts;
using NetfilterExporter.Iptables;
using NetfilterExporter.TestSupport.Tables;

namespace NetfilterExporter.Benchmarks;

/// <summary>
/// Goal 1: parse + analysis of generated kube-proxy tables. "ScanLines" is the floor (finding every newline
/// of the dump); allocations must stay flat from 1,000 to 200,000 rules because the KUBE-* bulk is skipped.
/// BenchmarkDotNet derives from benchmark classes, so they cannot be sealed.
/// </summary>
public class ParseAndAnalyzeBenchmarks
{
    private byte[] dump = [];

    [Params(1_000, 25_000, 200_000)]
    public int Rules { get; set; }

    [Params(20, 500)]
    public int HostPortPods { get; set; }

    [GlobalSetup]
    public void Setup() => dump = NatTableWriter.Generate(new TableShape(Rules, HostPortPods));

    [Benchmark(Baseline = true)]
    public int ScanLines() => dump.AsSpan().Count((byte)'\n');

    [Benchmark]
    public async Task<HostPortReport> ParseAndAnalyze()
    {
        using var stream = new MemoryStream(dump, writable: false);
        var table = await NatTableParser.ParseAsync(stream, "generated", CancellationToken.None);
        return HostPortAnalyzer.Analyze(table);
    }
}
