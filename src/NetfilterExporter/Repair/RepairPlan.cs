namespace NetfilterExporter.Repair;

/// <summary>
/// What `fix` would change on a node, from one collection: one transaction per nat table, the nf_conntrack repair, and
/// what it leaves alone with the reason. Printed as it is without --apply; applied by <see cref="RepairApplier"/>.
/// </summary>
/// <param name="Node">The node's name, for the log lines of the changes; null when the snapshot has none.</param>
/// <param name="Tables">Per nat table (backend and family, or nftables family), its deletions; only tables with something to delete.</param>
/// <param name="Conntrack">Loading nf_conntrack and listing it for boot; null when nothing is planned for it.</param>
/// <param name="NotPlanned">What the findings name that the evidence does not let `fix` change, each with why.</param>
public sealed record RepairPlan(string? Node, IReadOnlyList<TableRepair> Tables, ConntrackRepair? Conntrack, IReadOnlyList<NotPlanned> NotPlanned)
{
    /// <summary>Nothing to change: every finding is either absent or left to a person.</summary>
    public bool IsEmpty => Tables.Count == 0 && Conntrack is null;
}
