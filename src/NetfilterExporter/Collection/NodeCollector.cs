using System.Diagnostics;
using System.Globalization;

namespace NetfilterExporter.Collection;

/// <summary>
/// Schedules one collection: every collector of <see cref="CollectorList.Current"/> in parallel under one
/// deadline, each outcome recorded in the failure log. A collector that throws or runs out of time yields
/// success 0 and no data; the others are unaffected.
/// </summary>
public sealed class NodeCollector(CollectorList collectors, TimeSpan timeout, CollectorFailureLog failureLog, TimeProvider clock)
{
    public async Task<NodeSnapshot> CollectAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var runs = collectors.Current().Select(collector => RunAsync(collector, deadline.Token)).ToList();
        await Task.WhenAll(runs);
        cancellationToken.ThrowIfCancellationRequested();

        foreach (var run in runs)
        {
            failureLog.Record(run.Result.Outcome);
        }
        return new NodeSnapshot(
            clock.GetUtcNow(),
            runs.Select(run => run.Result.Outcome).ToList(),
            runs.Select(run => run.Result.Data).OfType<ICollectorResult>().ToList());
    }

    private async Task<(CollectorOutcome Outcome, ICollectorResult? Data)> RunAsync(ICollector collector, CancellationToken token)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            // Yield first so one collector's synchronous start cannot delay the others.
            await Task.Yield();
            var data = await collector.CollectAsync(token);
            return (new CollectorOutcome(collector.Name, true, Stopwatch.GetElapsedTime(started), null), data);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            var limit = timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            return (new CollectorOutcome(collector.Name, false, Stopwatch.GetElapsedTime(started), $"did not finish within --collector.timeout ({limit}s)"), null);
        }
        catch (Exception exception)
        {
            return (new CollectorOutcome(collector.Name, false, Stopwatch.GetElapsedTime(started), exception.Message), null);
        }
    }
}
