namespace NetfilterExporter.Repair;

/// <summary>What <see cref="RepairApplier.ApplyAsync(RepairPlan, CancellationToken)"/> did with a plan, table by table.</summary>
public sealed record RepairResult(RepairPlan Plan, IReadOnlyList<TableRepairResult> Tables, ConntrackRepairResult? Conntrack)
{
    public bool AnyAborted => Tables.Any(table => table.Status == RepairStatus.Aborted);

    /// <summary>
    /// Whether anything may have changed: a table applied or killed at the timeout (a failed transaction changes nothing),
    /// or any nf_conntrack step that ran (modprobe may have loaded it before the boot file failed).
    /// </summary>
    public bool MayHaveChanged =>
        Tables.Any(table => table.Status is RepairStatus.Applied or RepairStatus.TimedOut)
        || Conntrack?.Status is RepairStatus.Applied or RepairStatus.Failed or RepairStatus.TimedOut;

    public bool AllApplied => Tables.All(table => table.Status == RepairStatus.Applied) && Conntrack?.Status is null or RepairStatus.Applied;
}
