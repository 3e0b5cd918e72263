using System.Diagnostics;
using System.Text;
using NetfilterExporter.Assessment;
using NetfilterExporter.Collection;
using NetfilterExporter.Exposition;
using NetfilterExporter.Findings;
using NetfilterExporter.HostPorts;
using NetfilterExporter.Instrumentation;
using NetfilterExporter.Iptables;
using NetfilterExporter.Nftables;
using NetfilterExporter.Sources;
using Prometheus;

namespace NetfilterExporter.Tests.Reliability;

/// <summary>
/// Feeds deterministic mutations of real <c>nft -j list table</c> listings (tests/Fixtures/nftables/) through everything
/// a listing reaches: parser, portmap analyzer, findings and exposition. Each input must either be analysed or be
/// rejected with an <see cref="NftablesFormatException"/> naming where; any other exception, or an input that takes
/// unreasonably long, fails with the seed that reproduces it. NFX_SOAK=1 runs twenty times as many inputs.
/// </summary>
[Collection(HeavyReliabilityCollection.Name)]
public sealed class NftJsonFuzzTests
{
    private const int BaseSeed = 20260611;
    private const int DefaultInputs = 40_000;

    private static readonly TimeSpan PerInputBound = TimeSpan.FromSeconds(2);

    public static int Inputs => Environment.GetEnvironmentVariable("NFX_SOAK") == "1" ? DefaultInputs * 20 : DefaultInputs;

    [Fact]
    public async Task Mutated_nft_listings_are_analysed_or_rejected_naming_where_never_crash_or_hang()
    {
        var fixtures = Directory.GetFiles(RepositoryPaths.Combine("tests", "Fixtures", "nftables"), "*.json").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(4, fixtures.Count);
        // Each seed in the family it lists: an ip6 listing read as ip is a rejection at the first table object.
        var ipv4 = fixtures.Where(path => !path.EndsWith(".ipv6.json", StringComparison.Ordinal)).Select(File.ReadAllBytes).ToArray();
        var ipv6 = fixtures.Where(path => path.EndsWith(".ipv6.json", StringComparison.Ordinal)).Select(File.ReadAllBytes).ToArray();
        // A quarter of the workers mutate the IPv6 listing, so at least four.
        var workers = Math.Max(4, Environment.ProcessorCount);
        var perWorker = Inputs / workers;

        var results = await Task.WhenAll(Enumerable.Range(0, workers).Select(worker =>
        {
            var (seeds, family) = worker % 4 == 3 ? (ipv6, IpFamily.IPv6) : (ipv4, IpFamily.IPv4);
            return Task.Run(() => RunWorkerAsync(seeds, family, BaseSeed + worker, perWorker));
        }));

        var failure = results.Select(result => result.Failure).FirstOrDefault(message => message is not null);
        Assert.True(failure is null, failure);
        var accepted = results.Sum(result => result.Accepted);
        var rejected = results.Sum(result => result.Rejected);
        TestContext.Current.SendDiagnosticMessage($"nft JSON fuzz: {accepted + rejected} inputs, {accepted} analysed, {rejected} rejected, {results.Sum(r => r.Claims)} claims");
        Assert.Equal(perWorker * workers, accepted + rejected);
        // Both outcomes must be common, or the mutations are too weak (all rejected) or never reach the checks.
        Assert.True(accepted > perWorker * workers / 7, $"only {accepted} of {perWorker * workers} inputs analysed");
        Assert.True(rejected > perWorker * workers / 7, $"only {rejected} of {perWorker * workers} inputs rejected");
        Assert.True(results.Sum(result => result.Claims) > accepted / 2, "analysed inputs rarely produced a host port claim");
    }

    [Fact]
    public void The_mutations_are_reproducible_by_seed()
    {
        byte[][] seeds = [File.ReadAllBytes(NftablesListings.Path("v1.9-after-stop-start"))];
        var (first, second, other) = (new NftJsonMutator(seeds, 7), new NftJsonMutator(seeds, 7), new NftJsonMutator(seeds, 8));

        var inputs = Enumerable.Range(0, 200).Select(_ => first.Next()).ToList();

        Assert.All(inputs, input => Assert.Equal(input, second.Next()));
        Assert.Contains(inputs, input => !input.AsSpan().SequenceEqual(other.Next()));
    }

    private static async Task<FuzzWorkerResult> RunWorkerAsync(byte[][] seeds, IpFamily family, int seed, int inputs)
    {
        var mutator = new NftJsonMutator(seeds, seed);
        var build = BuildInfo.FromAssembly();
        int accepted = 0, rejected = 0;
        long claims = 0;
        for (var input = 0; input < inputs; input++)
        {
            var bytes = mutator.Next();
            var started = Stopwatch.GetTimestamp();
            (bool Analysed, int Claims, string? Problem) outcome;
            try
            {
                outcome = await ExerciseAsync(bytes, family, build);
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
            accepted += outcome.Analysed ? 1 : 0;
            rejected += outcome.Analysed ? 0 : 1;
            claims += outcome.Claims;
        }
        return new FuzzWorkerResult(accepted, rejected, claims, null);
    }

    /// <summary>Everything a listing reaches in the exporter. Throws only on a bug.</summary>
    private static async Task<(bool Analysed, int Claims, string? Problem)> ExerciseAsync(byte[] bytes, IpFamily family, BuildInfo build)
    {
        var source = new RuleSource(IptablesBackend.Nftables, family);
        HostPortReport report;
        try
        {
            var table = NftablesListings.Parse(bytes, family);
            report = PortmapNftAnalyzer.Analyze(table, NftablesListings.Origin);
        }
        catch (NftablesFormatException rejection)
        {
            return rejection.Origin == NftablesListings.Origin && rejection.Where.StartsWith('$') && rejection.Message.Length > rejection.Where.Length + rejection.Origin.Length + 4
                ? (false, 0, null)
                : (false, 0, $"rejected without naming where: {rejection.Message}");
        }
        // Assessing runs every finding (duplicates, the surgical nft commands) on the report.
        var snapshot = SourceTable.Assess(new NodeSnapshot(
            DateTimeOffset.UnixEpoch,
            [new CollectorOutcome(source.CollectorName, true, TimeSpan.Zero, null)],
            [new HostPortObservation(source, report)]));
        foreach (var format in new[] { ExpositionFormat.PrometheusText, ExpositionFormat.OpenMetricsText })
        {
            var registry = SnapshotMetrics.Build(snapshot, build, TimeSpan.FromSeconds(5));
            var exposition = Encoding.UTF8.GetString(await MetricsRenderer.SerializeAsync(registry, format, CancellationToken.None));
            var broken = exposition.Split('\n').FirstOrDefault(line => line.Length > 0 && line[0] != '#' && !line.StartsWith("netfilter_", StringComparison.Ordinal));
            if (!exposition.EndsWith('\n') || broken is not null)
            {
                return (true, 0, $"{format} exposition without a final newline or with a broken line: {broken}");
            }
        }
        return (true, report.Ports.Count, null);
    }
}
