using NetfilterExporter.Conntrack;

namespace NetfilterExporter.Collection;

/// <summary>
/// Everything one collection saw. Immutable: every scrape, the landing page and `check` render from one of
/// these, so a port or chain that disappears from the tables disappears from the output.
/// Only collectors that succeeded contribute data; a failed one has an outcome and nothing else.
/// </summary>
public sealed record NodeSnapshot(
    DateTimeOffset CollectedAt,
    IReadOnlyList<CollectorOutcome> Collectors,
    IReadOnlyList<IptablesObservation> Iptables,
    ConntrackReport? Conntrack);
