namespace NetfilterExporter.Repair;

/// <summary>What <see cref="RepairApplier.ApplyAsync(RepairPlan, CancellationToken)"/> did with a plan, table by table.</summary>
public sealed record RepairResult(RepairPlan Plan, IReadOnlyList<TableRepairResult> Tables, ConntrackRepairResult? Conntrack)
{
    public bool AnyAborted => Tables.Any(table => table.Status == RepairStatus.Aborted);

    public bool AllApplied => Tables.All(table => table.Status == RepairStatus.Applied) && Conntrack?.Status is null or RepairStatus.Applied;
}
