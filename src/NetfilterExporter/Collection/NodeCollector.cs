using System.Diagnostics;
using System.Globalization;

namespace NetfilterExporter.Collection;

/// <summary>
/// Schedules one collection: every collector of <see cref="CollectorList.Current"/> in parallel under one
/// deadline, then each <see cref="IReconciledResult"/> in the light of the others, each outcome recorded in the
/// failure log. A collector that throws or runs out of time yields success 0 and no data; the others are unaffected.
/// </summary>
public sealed class NodeCollector(CollectorList collectors, TimeSpan timeout, CollectorFailureLog failureLog, TimeProvider clock)
{
    public async Task<NodeSnapshot> CollectAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var firstReads = collectors.Current().Select(collector => RunAsync(collector.Name, token => collector.CollectAsync(token), deadline.Token)).ToList();
        var runs = (await Task.WhenAll(firstReads)).ToList();
        var results = runs.Select(run => run.Data).OfType<ICollectorResult>().ToList();
        for (var i = 0; i < runs.Count; i++)
        {
            if (runs[i].Data is IReconciledResult unsettled)
            {
                var others = results.Where(result => !ReferenceEquals(result, unsettled)).ToList();
                var (outcome, data) = await RunAsync(runs[i].Outcome.Name, token => unsettled.ReconcileAsync(others, token), deadline.Token);
                // The collector's time is its own reads, not the wait for the other collectors in between.
                runs[i] = (outcome with { Duration = runs[i].Outcome.Duration + outcome.Duration }, data);
            }
        }
        cancellationToken.ThrowIfCancellationRequested();

        foreach (var run in runs)
        {
            failureLog.Record(run.Outcome);
        }
        return new NodeSnapshot(
            clock.GetUtcNow(),
            runs.Select(run => run.Outcome).ToList(),
            runs.Select(run => run.Data).OfType<ICollectorResult>().ToList());
    }

    private async Task<(CollectorOutcome Outcome, ICollectorResult? Data)> RunAsync(
        string name, Func<CancellationToken, Task<ICollectorResult>> read, CancellationToken token)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            // Yield first so one collector's synchronous start cannot delay the others.
            await Task.Yield();
            var data = await read(token);
            return (new CollectorOutcome(name, true, Stopwatch.GetElapsedTime(started), null), data);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            var limit = timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            return (new CollectorOutcome(name, false, Stopwatch.GetElapsedTime(started), $"did not finish within --collector.timeout ({limit}s)"), null);
        }
        catch (Exception exception)
        {
            return (new CollectorOutcome(name, false, Stopwatch.GetElapsedTime(started), exception.Message), null);
        }
    }
}
