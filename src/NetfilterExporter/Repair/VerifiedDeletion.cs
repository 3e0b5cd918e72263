namespace NetfilterExporter.Repair;

/// <summary>One planned deletion as the collection after the repair saw it.</summary>
/// <param name="Gone">The rule or chain is no longer there.</param>
/// <param name="Why">When it is left: what the new collection shows (still there, or the table could not be read).</param>
public sealed record VerifiedDeletion(TableRepair Table, PlannedDeletion Deletion, bool Gone, string? Why);
