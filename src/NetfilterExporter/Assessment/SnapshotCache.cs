namespace NetfilterExporter.Assessment;

/// <summary>
/// Coalesces collections: concurrent scrapes share the one in flight, and a finished snapshot, assessed once, is
/// served for --collector.min-interval. HA Prometheus pairs scrape at the same instant; this keeps it to one dump each.
/// The shared collection runs on its own deadline, so a scraper that hangs up does not cancel it for the others.
/// </summary>
public sealed class SnapshotCache(NodeAssessor assessor, TimeSpan minInterval, TimeProvider clock)
{
    private readonly Lock gate = new();
    private Task<NodeAssessment>? inFlight;
    private NodeAssessment? latest;

    public TimeSpan MinInterval => minInterval;

    public Task<NodeAssessment> GetAsync(CancellationToken cancellationToken)
    {
        Task<NodeAssessment> shared;
        lock (gate)
        {
            if (latest is not null && clock.GetUtcNow() - latest.CollectedAt < minInterval)
            {
                return Task.FromResult(latest);
            }
            shared = inFlight ??= CollectAndRememberAsync();
        }
        return shared.WaitAsync(cancellationToken);
    }

    private async Task<NodeAssessment> CollectAndRememberAsync()
    {
        // Never complete synchronously: the caller assigns inFlight under the lock this method clears.
        await Task.Yield();
        NodeAssessment? assessment = null;
        try
        {
            assessment = await assessor.AssessAsync(CancellationToken.None);
            return assessment;
        }
        finally
        {
            Remember(assessment);
        }
    }

    // Not inlined into the finally above: ILLink deletes a try/finally nested in a finally
    // handler of a method it folds constants in (here YieldAwaiter.IsCompleted), so a trimmed build never released
    // the lock and every scrape on another thread hung (dotnet/runtime#131088; the trimming test guards it).
    private void Remember(NodeAssessment? assessment)
    {
        lock (gate)
        {
            latest = assessment ?? latest;
            inFlight = null;
        }
    }
}
