using NetfilterExporter.HostPorts;
using NetfilterExporter.Iptables;

namespace NetfilterExporter.Repair;

/// <summary>
/// The repair of one nat table: its deletions, applied as one transaction (<see cref="Transaction"/>) that changes all
/// of them or nothing.
/// </summary>
/// <param name="Deletions">In the order the transaction runs them: jumps before their chains, DNAT rules before masquerade rules.</param>
/// <param name="Collected">The CNI-* chains as the collection saved them (iptables; empty for nftables): what the guard compares a second read with.</param>
public sealed record TableRepair(
    RuleSource Source,
    IReadOnlyList<PlannedDeletion> Deletions,
    IReadOnlyDictionary<string, IReadOnlyList<NatRule>> Collected)
{
    /// <summary>The program that applies the transaction: <c>iptables-legacy-restore</c>, <c>ip6tables-nft-restore</c>, … or <c>nft</c>.</summary>
    public string Program => Source.IsNftables ? "nft" : Source.IptablesCommand + "-restore";

    /// <summary>
    /// Its arguments: restore without flushing (only the listed deletions change), waiting a little for the xtables lock
    /// kubelet or kube-proxy may hold; nft reads the transaction from standard input.
    /// </summary>
    public IReadOnlyList<string> Arguments => Source.IsNftables ? ["-f", "-"] : ["--noflush", "--wait=5"];

    /// <summary>The program and its arguments as one line, for the plan printed without --apply: <c>iptables-legacy-restore --noflush --wait=5</c>.</summary>
    public string CommandLine => string.Join(' ', [Program, .. Arguments]);

    /// <summary>What is written to the program's standard input (<see cref="TableTransaction"/>).</summary>
    public string Transaction => TableTransaction.Write(this);

    /// <summary>The sandboxes whose rules are deleted, each once.</summary>
    public IReadOnlyList<string> Sandboxes => [.. Deletions.Select(deletion => deletion.Deletion.SandboxId).OfType<string>().Distinct(StringComparer.Ordinal)];

    /// <summary>The same deletions as `check` prints them (shell commands), for a person who wants to run them by hand.</summary>
    public IReadOnlyList<string> ShellCommands => [.. Deletions.SelectMany(deletion => SurgicalDelete.Commands(Source, deletion.Deletion))];
}
