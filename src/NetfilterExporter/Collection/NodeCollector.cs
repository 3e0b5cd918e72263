using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using NetfilterExporter.Configuration;
using NetfilterExporter.Host;

namespace NetfilterExporter.Collection;

/// <summary>
/// Schedules one collection: every enabled collector of the table in parallel under one deadline, then each
/// <see cref="ICollectionStep"/> on its collector's result in the light of the others, each outcome recorded in the
/// failure log. A collector that throws or runs out of time yields success 0 and no data; the others are unaffected.
/// The server and `check` are both built this way from the same table.
/// </summary>
public sealed class NodeCollector
{
    private readonly IReadOnlyList<CollectorRegistration> table;
    private readonly IReadOnlyList<ICollectionStep> steps;
    private readonly ExporterOptions options;
    private readonly ILoggerFactory loggers;
    private readonly TimeSpan timeout;
    private readonly CollectorFailureLog failureLog;
    private readonly TimeProvider clock;

    /// <exception cref="UsageException">The collector flags contradict each other.</exception>
    public NodeCollector(
        IReadOnlyList<CollectorRegistration> table, IReadOnlyList<ICollectionStep> steps, ExporterOptions options, ILoggerFactory loggers, TimeProvider clock)
    {
        this.table = table;
        this.steps = steps;
        Enabled = CollectorSelection.Enabled(table, options);
        this.options = options;
        this.loggers = loggers;
        Node = NodeName.Resolve(options.NodeName, options.HostPaths.RootFs);
        timeout = options.CollectorTimeout;
        failureLog = new CollectorFailureLog(loggers.CreateLogger<CollectorFailureLog>());
        this.clock = clock;
    }

    /// <summary>The node's name, resolved once at start.</summary>
    public string Node { get; }

    /// <summary>The names of the collectors switched on.</summary>
    public IReadOnlySet<string> Enabled { get; }

    /// <summary>The same, in the table's order.</summary>
    public IEnumerable<string> EnabledInOrder => table.Select(registration => registration.Name).Where(Enabled.Contains);

    /// <summary>
    /// The collectors of one collection, made anew each time: a save command installed after the exporter started,
    /// or a runtime that starts later, is read from then on without a restart.
    /// </summary>
    public IReadOnlyList<ICollector> Current()
    {
        var context = new CollectorContext(options, Enabled, loggers, clock);
        return table.Where(registration => Enabled.Contains(registration.Name))
            .Select(registration => registration.Create(context))
            .OfType<ICollector>()
            .ToList();
    }

    public async Task<NodeSnapshot> CollectAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var collectors = Current();
        var runs = (await Task.WhenAll(collectors.Select(collector => RunAsync(collector.Name, collector.CollectAsync, deadline.Token)))).ToList();
        foreach (var step in steps)
        {
            var i = runs.FindIndex(run => run.Outcome.Name == step.Collector);
            if (i < 0 || runs[i].Data is not { } first)
            {
                continue;
            }
            var others = runs.Where((_, j) => j != i).Select(run => run.Data).OfType<ICollectorResult>().ToList();
            var (outcome, data) = await RunAsync(step.Collector, token => step.SettleAsync(collectors[i], first, others, token), deadline.Token);
            // The collector's time is its own reads, not the wait for the other collectors in between.
            runs[i] = (outcome with { Duration = runs[i].Outcome.Duration + outcome.Duration }, data);
        }
        cancellationToken.ThrowIfCancellationRequested();

        foreach (var run in runs)
        {
            failureLog.Record(run.Outcome);
        }
        return new NodeSnapshot(
            clock.GetUtcNow(),
            runs.Select((run, i) => run.Outcome with { Source = CollectorOutcome.SourceOf(collectors[i]) }).ToList(),
            runs.Select(run => run.Data).OfType<ICollectorResult>().ToList(),
            Node);
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
