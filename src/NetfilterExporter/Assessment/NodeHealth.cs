namespace NetfilterExporter.Assessment;

/// <summary>The verdict on one snapshot; the values are `check`'s exit codes (docs/contract.md §5).</summary>
public enum NodeHealth
{
    /// <summary>Every collector read its source and nothing is wrong.</summary>
    Healthy = 0,

    /// <summary>Something needs fixing, even if a collector also failed.</summary>
    FindingsPresent = 1,

    /// <summary>Nothing found, but a collector failed or no iptables table could be read: health is not known.</summary>
    CouldNotCollect = 2,
}
