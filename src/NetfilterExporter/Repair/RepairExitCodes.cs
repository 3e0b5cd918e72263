namespace NetfilterExporter.Repair;

/// <summary>The exit code of an applied plan: an abort outweighs a leftover, which outweighs success.</summary>
public static class RepairExitCodes
{
    public static RepairExitCode Of(RepairResult result, RepairVerification verification) =>
        result.AnyAborted ? RepairExitCode.Aborted
        : !result.AllApplied || !verification.AllGone ? RepairExitCode.Left
        : RepairExitCode.Repaired;
}
