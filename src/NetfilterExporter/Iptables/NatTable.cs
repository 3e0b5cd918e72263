namespace NetfilterExporter.Iptables;

/// <summary>
/// What the analysis needs of one nat table: every CNI-* chain with its rules, the CNI-* chains that some rule
/// (in any chain) jumps to, and the total rule count. The KUBE-* bulk is counted, never kept.
/// </summary>
public sealed record NatTable(
    bool Present,
    int TotalRules,
    IReadOnlyDictionary<string, IReadOnlyList<NatRule>> CniChains,
    IReadOnlySet<string> ReferencedCniChains)
{
    public static NatTable Empty { get; } = new(false, 0, new Dictionary<string, IReadOnlyList<NatRule>>(), new HashSet<string>());
}
