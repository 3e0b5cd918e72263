namespace NetfilterExporter.Findings;

/// <summary>A problem found on the node with what it means and how to fix it (docs/contract.md §3).</summary>
/// <param name="Id">Stable id shared by `check`, the landing page, alerts and runbooks, e.g. hostport-dnat-duplicate.</param>
/// <param name="Ports">The host ports it is about; empty for a finding about no port (nf_conntrack, orphan chains).</param>
public sealed record Finding(string Id, FindingSeverity Severity, string Summary, IReadOnlyList<string> Details, IReadOnlyList<FixStep> Fixes)
{
    public IReadOnlyList<FindingPort> Ports { get; init; } = [];
}
