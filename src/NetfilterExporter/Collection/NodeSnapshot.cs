namespace NetfilterExporter.Collection;

/// <summary>
/// Everything one collection saw. Immutable: every scrape, the landing page and `check` render from one of
/// these (through its assessment), so a port or chain that disappears from the
/// tables disappears from the output. Only collectors that succeeded contribute a result; a failed one has an
/// outcome and nothing else.
/// </summary>
/// <param name="Collectors">One outcome per collector that ran, in the order they were scheduled.</param>
/// <param name="Results">What the successful collectors read, in the same order.</param>
/// <param name="Node">The node's name (--node.name or the host's); null where a test or benchmark made the snapshot.</param>
public sealed record NodeSnapshot(
    DateTimeOffset CollectedAt,
    IReadOnlyList<CollectorOutcome> Collectors,
    IReadOnlyList<ICollectorResult> Results,
    string? Node = null);
