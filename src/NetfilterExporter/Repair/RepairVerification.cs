namespace NetfilterExporter.Repair;

/// <summary>Which of a plan's changes a new collection confirms, and which it does not.</summary>
/// <param name="Deletions">Every planned deletion of every table, in plan order.</param>
/// <param name="ConntrackLeft">What of the nf_conntrack repair the new collection does not confirm, one sentence each.</param>
/// <param name="FindingsLeft">The ids of the repaired findings (hostport-stale-claim, hostport-orphan-chain, conntrack-not-loaded, conntrack-not-persistent) the new collection still reports.</param>
/// <param name="RemainingFindings">Every finding id the new collection reports, repaired by fix or not (a duplicate nobody could judge, a full conntrack table): the node is not healthy while there is one.</param>
public sealed record RepairVerification(
    IReadOnlyList<VerifiedDeletion> Deletions,
    IReadOnlyList<string> ConntrackLeft,
    IReadOnlyList<string> FindingsLeft,
    IReadOnlyList<string> RemainingFindings)
{
    public IReadOnlyList<VerifiedDeletion> Left => [.. Deletions.Where(deletion => !deletion.Gone)];

    /// <summary>Every planned change is gone from the new collection.</summary>
    public bool AllGone => Left.Count == 0 && ConntrackLeft.Count == 0;
}
