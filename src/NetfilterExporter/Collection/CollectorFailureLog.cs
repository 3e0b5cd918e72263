using Microsoft.Extensions.Logging;

namespace NetfilterExporter.Collection;

/// <summary>
/// Logs a collector's failure when it starts or its cause changes, and its recovery, instead of the same
/// error on every scrape.
/// </summary>
public sealed class CollectorFailureLog(ILogger<CollectorFailureLog> logger)
{
    private readonly Dictionary<string, string?> lastErrors = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    public void Record(CollectorOutcome outcome)
    {
        string? previous;
        lock (gate)
        {
            lastErrors.TryGetValue(outcome.Name, out previous);
            lastErrors[outcome.Name] = outcome.Error;
        }
        if (outcome.Error is not null && outcome.Error != previous)
        {
            logger.LogError("collector {Collector} failed: {Error}", outcome.Name, outcome.Error);
        }
        else if (outcome.Error is null && previous is not null)
        {
            logger.LogInformation("collector {Collector} recovered", outcome.Name);
        }
    }
}
