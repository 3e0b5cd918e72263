using NetfilterExporter.HostPorts;
using NetfilterExporter.Iptables;
using NetfilterExporter.Nftables;

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

    private static Task<FuzzWorkerResult> RunWorkerAsync(byte[][] seeds, IpFamily family, int seed, int inputs)
    {
        var mutator = new NftJsonMutator(seeds, seed);
        return FuzzWorker.RunAsync(seed, inputs, mutator.Next, bytes => ExerciseAsync(bytes, family));
    }

    /// <summary>Everything a listing reaches in the exporter. Throws only on a bug.</summary>
    private static async Task<FuzzOutcome> ExerciseAsync(byte[] bytes, IpFamily family)
    {
        HostPortReport report;
        try
        {
            report = PortmapNftAnalyzer.Analyze(NftablesListings.Parse(bytes, family), NftablesListings.Origin);
        }
        catch (NftablesFormatException rejection)
        {
            return rejection.Origin == NftablesListings.Origin && rejection.Where.StartsWith('$') && rejection.Message.Length > rejection.Where.Length + rejection.Origin.Length + 4
                ? FuzzOutcome.Rejected
                : FuzzOutcome.Bug($"rejected without naming where: {rejection.Message}");
        }
        // Assessing runs every finding (duplicates, the surgical nft commands) on the report.
        return await FuzzWorker.ExerciseReportAsync(new RuleSource(IptablesBackend.Nftables, family), report);
    }
}
