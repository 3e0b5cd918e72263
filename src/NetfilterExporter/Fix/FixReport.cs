using System.Text;
using NetfilterExporter.Repair;

namespace NetfilterExporter.Fix;

/// <summary>`fix` for a person at night: what it will change (and will not, with why), then what it did and what is left.</summary>
public static class FixReport
{
    public static string Plan(RepairPlan plan)
    {
        var text = new StringBuilder();
        text.Append("Node ").Append(plan.Node ?? "(not named)").Append('\n');
        if (plan.IsEmpty)
        {
            text.Append("\nNothing to repair that the collected evidence confirms.\n");
        }
        foreach (var table in plan.Tables)
        {
            text.Append("\nRepair the ").Append(table.Source.ToString()).Append(" nat table in one transaction (").Append(table.CommandLine).Append("):\n");
            foreach (var deletion in table.Deletions)
            {
                text.Append("  delete ").Append(deletion.Rule(table.Source)).Append('\n')
                    .Append("    ").Append(Whose(deletion)).Append('\n');
            }
        }
        if (plan.Conntrack is { } conntrack)
        {
            text.Append("\nRepair nf_conntrack:\n");
            foreach (var command in conntrack.ShellCommands)
            {
                text.Append("  ").Append(command).Append('\n');
            }
        }
        if (plan.NotPlanned.Count > 0)
        {
            text.Append("\nLeft alone:\n");
            foreach (var left in plan.NotPlanned)
            {
                text.Append("  ").Append(left.Source is { } source ? $"{source}: " : "").Append(left.What).Append('\n')
                    .Append("    ").Append(left.Why).Append('\n');
            }
        }
        return text.ToString();
    }

    public static string Outcome(RepairResult result, RepairVerification verification)
    {
        var text = new StringBuilder();
        AppendApplied(text, result);
        text.Append("\nVerified by a new collection:\n");
        foreach (var deletion in verification.Deletions)
        {
            text.Append("  ").Append(deletion.Gone ? "gone     " : "LEFT     ").Append(deletion.Table.Source.ToString()).Append(' ')
                .Append(deletion.Deletion.Rule(deletion.Table.Source)).Append(deletion.Why is { } why ? $": {why}" : "").Append('\n');
        }
        foreach (var left in verification.ConntrackLeft)
        {
            text.Append("  LEFT     ").Append(left).Append('\n');
        }
        if (verification.FindingsLeft.Count > 0)
        {
            text.Append("\nStill reported, although fix meant to clear them: ").Append(string.Join(", ", verification.FindingsLeft)).Append('\n');
        }
        text.Append(verification.RemainingFindings.Count == 0
            ? "\nNo findings left: run `netfilter-exporter check` to see the node as it is now.\n"
            : $"\nFindings left: {string.Join(", ", verification.RemainingFindings)}. Run `netfilter-exporter check` for their fixes.\n");
        return text.ToString();
    }

    /// <summary>What an interrupted `fix --apply` did before it stopped: each table applied, or not run; nothing verified.</summary>
    public static string Interrupted(RepairResult result)
    {
        var text = new StringBuilder();
        AppendApplied(text, result);
        return text.Append("\nInterrupted: the changes above marked applied were made; nothing was verified. Run `netfilter-exporter check`.\n").ToString();
    }

    private static void AppendApplied(StringBuilder text, RepairResult result)
    {
        text.Append("\nApplied:\n");
        foreach (var table in result.Tables)
        {
            text.Append("  ").Append(table.Repair.Source.ToString()).Append(": ").Append(Status(table.Status)).Append('\n');
            foreach (var line in table.Changes.Append(table.Error).OfType<string>())
            {
                text.Append("    ").Append(line).Append('\n');
            }
        }
        if (result.Conntrack is { } conntrack)
        {
            text.Append("  nf_conntrack: ").Append(conntrack.Status switch
            {
                RepairStatus.Applied => "applied",
                RepairStatus.Interrupted => "NOT RUN, interrupted",
                RepairStatus.TimedOut => "KILLED at the timeout: whether it loaded is not known",
                _ => "FAILED",
            }).Append('\n');
            if (conntrack.Error is { } error)
            {
                text.Append("    ").Append(error).Append('\n');
            }
        }
    }

    private static string Status(RepairStatus status) => status switch
    {
        RepairStatus.Applied => "applied",
        RepairStatus.Aborted => "ABORTED, nothing changed: the table changed since it was read",
        RepairStatus.Interrupted => "NOT RUN, interrupted: nothing changed",
        RepairStatus.TimedOut => "KILLED at the timeout: whether it committed is not known",
        _ => "FAILED, nothing changed",
    };

    /// <summary>"sandbox 4b42590d177e…, pod ingress/nginx (hostport-stale-claim)": whose rule it is and which finding asks for it.</summary>
    private static string Whose(PlannedDeletion deletion) =>
        (deletion.Deletion.SandboxId is { } sandbox ? $"sandbox {sandbox}" : "no sandbox (an orphan chain)")
        + (deletion.Pod is { } pod ? $", pod {pod}" : "")
        + $" ({deletion.Why})";
}
