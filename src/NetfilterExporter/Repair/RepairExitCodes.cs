namespace NetfilterExporter.Repair;

/// <summary>The exit code of an applied plan: an abort outweighs a leftover, which outweighs success.</summary>
public static class RepairExitCodes
{
    /// <summary>
    /// <see cref="RepairExitCode.Aborted"/> when a table changed under the plan; <see cref="RepairExitCode.Left"/> when a
    /// program failed, a planned change is not confirmed gone, or the new collection still reports any finding (what fix
    /// may not change: the caller names them from <see cref="RepairVerification.RemainingFindings"/> and the plan's
    /// <see cref="RepairPlan.NotPlanned"/>); otherwise <see cref="RepairExitCode.Repaired"/>.
    /// </summary>
    public static RepairExitCode Of(RepairResult result, RepairVerification verification) =>
        result.AnyAborted ? RepairExitCode.Aborted
        : !result.AllApplied || !verification.AllGone || verification.RemainingFindings.Count > 0 ? RepairExitCode.Left
        : RepairExitCode.Repaired;
}
