using System.Diagnostics;
using NetfilterExporter.Conntrack;
using NetfilterExporter.HostPorts;
using NetfilterExporter.SaveCommands;

namespace NetfilterExporter.Collection;

/// <summary>
/// Runs every collector in parallel under one deadline and assembles a <see cref="NodeSnapshot"/>. A collector
/// that throws or runs out of time yields success 0 and no data; the others are unaffected.
/// </summary>
public sealed class NodeCollector(
    DumpSourceSet dumpSources,
    ConntrackProbe conntrackProbe,
    TimeSpan timeout,
    CollectorFailureLog failureLog,
    TimeProvider clock)
{
    public const string ConntrackCollectorName = "conntrack";

    public async Task<NodeSnapshot> CollectAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var iptablesRuns = dumpSources.Current()
            .Select(source => RunAsync(source.Source.CollectorName, async token =>
                new IptablesObservation(source.Source, HostPortAnalyzer.Analyze(await source.ReadAsync(token))), deadline.Token))
            .ToList();
        var conntrackRun = RunAsync(ConntrackCollectorName, conntrackProbe.ProbeAsync, deadline.Token);
        await Task.WhenAll(iptablesRuns.Cast<Task>().Append(conntrackRun));
        cancellationToken.ThrowIfCancellationRequested();

        var outcomes = iptablesRuns.Select(run => run.Result.Outcome).Append(conntrackRun.Result.Outcome).ToList();
        foreach (var outcome in outcomes)
        {
            failureLog.Record(outcome);
        }
        return new NodeSnapshot(
            clock.GetUtcNow(),
            outcomes,
            iptablesRuns.Select(run => run.Result.Data).OfType<IptablesObservation>().ToList(),
            conntrackRun.Result.Data);
    }

    private async Task<(CollectorOutcome Outcome, T? Data)> RunAsync<T>(string name, Func<CancellationToken, Task<T>> collect, CancellationToken token)
        where T : class
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            // Yield first so one collector's synchronous start cannot delay the others.
            await Task.Yield();
            var data = await collect(token);
            return (new CollectorOutcome(name, true, Stopwatch.GetElapsedTime(started), null), data);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return (new CollectorOutcome(name, false, Stopwatch.GetElapsedTime(started), $"did not finish within --collector.timeout ({timeout.TotalSeconds:0.###}s)"), null);
        }
        catch (Exception exception)
        {
            return (new CollectorOutcome(name, false, Stopwatch.GetElapsedTime(started), exception.Message), null);
        }
    }
}
