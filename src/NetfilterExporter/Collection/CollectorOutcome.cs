namespace NetfilterExporter.Collection;

/// <summary>How one collector did in one collection; <see cref="Error"/> says why it failed.</summary>
public sealed record CollectorOutcome(string Name, bool Success, TimeSpan Duration, string? Error)
{
    /// <summary>
    /// Where it read, for people: "file PATH" for a saved dump, "this machine: …" for the node's live state; null where a
    /// test or benchmark made the outcome.
    /// </summary>
    public string? Source { get; init; }

    public static string SourceOf(ICollector collector) =>
        collector.ReadsSavedFile ? $"file {collector.Reads}" : $"this machine: {collector.Reads}";
}
