namespace NetfilterExporter.Findings;

/// <summary>
/// `fix` offered first where the collected evidence lets it repair the finding (docs/contract.md §6): a stale claim
/// the runtime confirmed, an orphan chain, nf_conntrack not listed for boot. The manual commands stay the alternative.
/// </summary>
public static class ExporterFix
{
    public static FixStep Step { get; } = new(
        "Let netfilter-exporter do it: the first command prints what it would change and changes nothing; the second applies that, each table in one transaction after reading it again, and checks the result:",
        ["sudo netfilter-exporter fix", "sudo netfilter-exporter fix --apply"]);
}
