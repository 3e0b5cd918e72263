namespace NetfilterExporter.Repair;

/// <summary>What became of one table's (or nf_conntrack's) repair.</summary>
public enum RepairStatus
{
    /// <summary>The transaction ran and its program reported success.</summary>
    Applied,

    /// <summary>The guard found a planned rule changed since the plan: nothing was run.</summary>
    Aborted,

    /// <summary>Interrupted (Ctrl-C, SIGTERM) before its transaction started: nothing was run.</summary>
    Interrupted,

    /// <summary>The program was killed at the timeout: whether its transaction committed is not known (the verification says).</summary>
    TimedOut,

    /// <summary>The table could not be read again, or the program failed: the transaction changes all or nothing, so nothing changed.</summary>
    Failed,
}
