namespace NetfilterExporter.Repair;

/// <summary>One table's repair after <see cref="RepairApplier"/> ran it.</summary>
/// <param name="Changes">Aborted: what the guard found changed, one sentence each; empty otherwise.</param>
/// <param name="Error">Failed or timed out: the program's standard error or failure, or why the table could not be read again; null otherwise.</param>
public sealed record TableRepairResult(TableRepair Repair, RepairStatus Status, IReadOnlyList<string> Changes, string? Error);
