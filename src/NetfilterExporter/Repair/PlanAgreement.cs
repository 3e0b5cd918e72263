namespace NetfilterExporter.Repair;

/// <summary>
/// A second plan, made from a collection a moment after the first, decides what may be applied. A pod being created
/// has its rules written (CNI ADD) before CRI lists its sandbox; containerd's stores tell it apart (it is left alone),
/// but a runtime without them, or a comment with a cut id, cannot: in that window such a pod looks stale. Only a table
/// whose deletions both plans name identically is applied; the others are aborted with nothing changed.
/// </summary>
public static class PlanAgreement
{
    public static (RepairPlan Agreed, IReadOnlyList<TableRepairResult> Disagreed) Of(RepairPlan first, RepairPlan second)
    {
        var agreed = new List<TableRepair>();
        var disagreed = new List<TableRepairResult>();
        foreach (var table in first.Tables)
        {
            var later = second.Tables.FirstOrDefault(other => other.Source == table.Source);
            if (later is not null && Names(table).SequenceEqual(Names(later), StringComparer.Ordinal))
            {
                agreed.Add(table);
                continue;
            }
            var now = later is null ? "nothing" : string.Join("; ", Names(later));
            disagreed.Add(new TableRepairResult(table, RepairStatus.Aborted,
                [$"a second look a moment later planned {now} for this table, not the same deletions (a pod may be starting): run fix again"], null));
        }
        var conntrack = first.Conntrack is { } repair && second.Conntrack == repair ? repair : null;
        return (first with { Tables = agreed, Conntrack = conntrack }, disagreed);
    }

    /// <summary>Each deletion as the log names it, with its sandbox and finding: equal names, equal deletions.</summary>
    private static IEnumerable<string> Names(TableRepair table) =>
        table.Deletions.Select(deletion => $"{deletion.Rule(table.Source)} ({deletion.Deletion.SandboxId}, {deletion.Why})");
}
