using System.Diagnostics;
using System.Text;
using NetfilterExporter.Assessment;
using NetfilterExporter.Collection;
using NetfilterExporter.Exposition;
using NetfilterExporter.HostPorts;
using NetfilterExporter.Instrumentation;
using NetfilterExporter.Iptables;
using NetfilterExporter.Sources;
using Prometheus;

namespace NetfilterExporter.Tests.Reliability;

/// <summary>
/// One worker of a fuzzing test: feeds each input to the exercise, bounds its time, and stops at the first input that
/// crashes, hangs or breaks the output, with the seed that reproduces it.
/// </summary>
public static class FuzzWorker
{
    // Far above the microseconds an input takes; only a blow-up (quadratic walk, runaway range) comes near it.
    private static readonly TimeSpan PerInputBound = TimeSpan.FromSeconds(2);

    private static readonly BuildInfo Build = BuildInfo.FromAssembly();

    public static async Task<FuzzWorkerResult> RunAsync(int seed, int inputs, Func<byte[]> next, Func<byte[], Task<FuzzOutcome>> exercise)
    {
        int accepted = 0, rejected = 0;
        long claims = 0;
        for (var input = 0; input < inputs; input++)
        {
            var bytes = next();
            var started = Stopwatch.GetTimestamp();
            FuzzOutcome outcome;
            try
            {
                outcome = await exercise(bytes);
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
            accepted += outcome.Accepted ? 1 : 0;
            rejected += outcome.Accepted ? 0 : 1;
            claims += outcome.Claims;
        }
        return new FuzzWorkerResult(accepted, rejected, claims, null);
    }

    /// <summary>Everything a parsed table reaches after its parser: every finding (through the assessment) and both expositions.</summary>
    public static async Task<FuzzOutcome> ExerciseReportAsync(RuleSource source, HostPortReport report)
    {
        var snapshot = SourceTable.Assess(new NodeSnapshot(
            DateTimeOffset.UnixEpoch,
            [new CollectorOutcome(source.CollectorName, true, TimeSpan.Zero, null)],
            [new HostPortObservation(source, report)]));
        foreach (var format in new[] { ExpositionFormat.PrometheusText, ExpositionFormat.OpenMetricsText })
        {
            var registry = SnapshotMetrics.Build(snapshot, Build);
            var exposition = Encoding.UTF8.GetString(await MetricsRenderer.SerializeAsync(registry, format, CancellationToken.None));
            // Every line is a comment or a sample: a label value that broke a line would leave a fragment.
            var broken = exposition.Split('\n').FirstOrDefault(line => line.Length > 0 && line[0] != '#' && !line.StartsWith("netfilter_", StringComparison.Ordinal));
            if (!exposition.EndsWith('\n') || broken is not null)
            {
                return FuzzOutcome.Bug($"{format} exposition without a final newline or with a broken line: {broken}");
            }
        }
        return new FuzzOutcome(true, report.Ports.Count, null);
    }
}

/// <summary>What one input did: parsed (with its claims) or rejected as the format says; <see cref="Problem"/> names a bug.</summary>
public sealed record FuzzOutcome(bool Accepted, int Claims, string? Problem)
{
    public static FuzzOutcome Rejected { get; } = new(false, 0, null);

    public static FuzzOutcome Bug(string problem) => new(false, 0, problem);
}
