using NetfilterExporter.HostPorts;
using NetfilterExporter.Iptables;
using NetfilterExporter.TestSupport;

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

    private static Task<FuzzWorkerResult> RunWorkerAsync(byte[][] seeds, int seed, int inputs)
    {
        var mutator = new DumpMutator(seeds, seed);
        return FuzzWorker.RunAsync(seed, inputs, mutator.Next, ExerciseAsync);
    }

    /// <summary>Everything a dump reaches in the exporter. Throws only on a bug.</summary>
    private static async Task<FuzzOutcome> ExerciseAsync(byte[] bytes)
    {
        NatTable table;
        try
        {
            table = await NatTableParser.ParseAsync(new MemoryStream(bytes), "fuzz", CancellationToken.None);
        }
        catch (DumpFormatException rejection)
        {
            return rejection.LineNumber > 0 ? FuzzOutcome.Rejected : FuzzOutcome.Bug($"rejected without a line number: {rejection.Message}");
        }
        return await FuzzWorker.ExerciseReportAsync(new RuleSource(IptablesBackend.Legacy, IpFamily.IPv4), HostPortAnalyzer.Analyze(table));
    }
}
