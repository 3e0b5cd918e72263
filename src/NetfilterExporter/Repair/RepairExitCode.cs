namespace NetfilterExporter.Repair;

/// <summary>`fix`'s exit codes (issue 28): what the command returns once it has planned, applied and verified.</summary>
public enum RepairExitCode
{
    /// <summary>Everything planned was applied, the new collection confirms it gone, and it reports no finding.</summary>
    Repaired = 0,

    /// <summary>Something is left: a program failed, the new collection still shows a planned change, or it still reports a finding.</summary>
    Left = 1,

    /// <summary>Could not collect, or refused (the command decides; nothing here returns it).</summary>
    CouldNotCollect = 2,

    /// <summary>A table changed between the plan and its repair, which was aborted with nothing changed.</summary>
    Aborted = 3,

    /// <summary>Interrupted (Ctrl-C, SIGTERM), as a shell reports SIGINT: a change already started ran to its end and is reported.</summary>
    Interrupted = 130,
}
