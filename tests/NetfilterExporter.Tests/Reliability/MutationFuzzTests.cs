using System.Diagnostics;
using System.Text;
using NetfilterExporter.Assessment;
using NetfilterExporter.Collection;
using NetfilterExporter.Exposition;
using NetfilterExporter.Findings;
using NetfilterExporter.HostPorts;
using NetfilterExporter.Instrumentation;
using NetfilterExporter.Iptables;
using NetfilterExporter.Sources;
using NetfilterExporter.TestSupport;
using Prometheus;

namespace NetfilterExporter.Tests.Reliability;

/// <summary>
/// Feeds deterministic mutations of the real dumps through everything a dump reaches: parser, hostPort analyzer,
/// exposition and findings. Each input must either parse or be rejected with a <see cref="DumpFormatException"/>
/// naming its line; anything else, or an input that takes unreasonably long, fails with the seed that reproduces it.
/// NFX_SOAK=1 runs twenty times as many inputs.
/// </summary>
[Collection(HeavyReliabilityCollection.Name)]
public sealed class MutationFuzzTests
{
    private const int BaseSeed = 20261121;
    private const int DefaultInputs = 100_000;

    // Far above the microseconds an input takes; only a blow-up (quadratic walk, runaway range) comes near it.
    private static readonly TimeSpan PerInputBound = TimeSpan.FromSeconds(2);

    public static int Inputs => Environment.GetEnvironmentVariable("NFX_SOAK") == "1" ? DefaultInputs * 20 : DefaultInputs;

    [Fact]
    public async Task Mutated_dumps_are_parsed_or_rejected_with_a_line_never_crash_or_hang()
    {
        byte[][] seeds =
        [
            File.ReadAllBytes(RepositoryPaths.Combine("examples", "healthy.legacy-ipv4.txt")),
            File.ReadAllBytes(RepositoryPaths.Combine("examples", "after-stop-start.legacy-ipv4.txt")),
            File.ReadAllBytes(RepositoryPaths.Combine("tests", "Fixtures", "dumps", "healthy.legacy-ipv6.txt")),
            File.ReadAllBytes(RepositoryPaths.Combine("tests", "Fixtures", "dumps", "after-stop-start.legacy-ipv6.txt")),
        ];
        var workers = Math.Max(2, Environment.ProcessorCount);
        var perWorker = Inputs / workers;

        var results = await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(() => RunWorkerAsync(seeds, BaseSeed + worker, perWorker))));

        var failure = results.Select(result => result.Failure).FirstOrDefault(message => message is not null);
        Assert.True(failure is null, failure);
        Assert.Equal(perWorker * workers, results.Sum(result => result.Accepted + result.Rejected));
        // Both outcomes must occur, or the mutations are too weak (all rejected) or never reach the parser's checks.
        Assert.True(results.Sum(result => result.Accepted) > perWorker / 10, $"only {results.Sum(r => r.Accepted)} inputs parsed");
        Assert.True(results.Sum(result => result.Rejected) > perWorker / 10, $"only {results.Sum(r => r.Rejected)} inputs rejected");
        Assert.True(results.Sum(result => result.Claims) > 0, "no mutated input produced a host port claim");
    }

    private static async Task<FuzzWorkerResult> RunWorkerAsync(byte[][] seeds, int seed, int inputs)
    {
        var mutator = new DumpMutator(seeds, seed);
        var build = BuildInfo.FromAssembly();
        int accepted = 0, rejected = 0;
        long claims = 0;
        for (var input = 0; input < inputs; input++)
        {
            var bytes = mutator.Next();
            var started = Stopwatch.GetTimestamp();
            (bool Parsed, int Claims, string? Problem) outcome;
            try
            {
                outcome = await ExerciseAsync(bytes, build);
            }
            catch (Exception exception)
            {
                return FuzzWorkerResult.Failed(seed, input, bytes, exception.ToString());
            }
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (elapsed > PerInputBound)
            {
                return FuzzWorkerResult.Failed(seed, input, bytes, $"took {elapsed.TotalSeconds:0.###}s, more than {PerInputBound.TotalSeconds}s");
            }
            if (outcome.Problem is not null)
            {
                return FuzzWorkerResult.Failed(seed, input, bytes, outcome.Problem);
            }
            accepted += outcome.Parsed ? 1 : 0;
            rejected += outcome.Parsed ? 0 : 1;
            claims += outcome.Claims;
        }
        return new FuzzWorkerResult(accepted, rejected, claims, null);
    }

    /// <summary>Everything a dump reaches in the exporter. Throws only on a bug.</summary>
    private static async Task<(bool Parsed, int Claims, string? Problem)> ExerciseAsync(byte[] bytes, BuildInfo build)
    {
        NatTable table;
        try
        {
            table = await NatTableParser.ParseAsync(new MemoryStream(bytes), "fuzz", CancellationToken.None);
        }
        catch (DumpFormatException rejection)
        {
            return rejection.LineNumber > 0 ? (false, 0, null) : (false, 0, $"rejected without a line number: {rejection.Message}");
        }
        var source = new RuleSource(IptablesBackend.Legacy, IpFamily.IPv4);
        var report = HostPortAnalyzer.Analyze(table);
        // Assessing runs every finding on the dump, so a dump that breaks one fails here.
        var snapshot = SourceTable.Assess(new NodeSnapshot(
            DateTimeOffset.UnixEpoch,
            [new CollectorOutcome(source.CollectorName, true, TimeSpan.Zero, null)],
            [new HostPortObservation(source, report)]));
        foreach (var format in new[] { ExpositionFormat.PrometheusText, ExpositionFormat.OpenMetricsText })
        {
            var registry = SnapshotMetrics.Build(snapshot, build, TimeSpan.FromSeconds(5));
            var exposition = Encoding.UTF8.GetString(await MetricsRenderer.SerializeAsync(registry, format, CancellationToken.None));
            // Every line is a comment or a sample: a label value that broke a line would leave a fragment.
            var broken = exposition.Split('\n').FirstOrDefault(line => line.Length > 0 && line[0] != '#' && !line.StartsWith("netfilter_", StringComparison.Ordinal));
            if (!exposition.EndsWith('\n') || broken is not null)
            {
                return (true, 0, $"{format} exposition without a final newline or with a broken line: {broken}");
            }
        }
        return (true, report.Ports.Count, null);
    }
}
