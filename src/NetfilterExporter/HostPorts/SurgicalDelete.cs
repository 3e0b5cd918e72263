using System.Globalization;
using NetfilterExporter.Findings;
using NetfilterExporter.Iptables;

namespace NetfilterExporter.HostPorts;

/// <summary>
/// What removes exactly some claims' rules, in the terms of the backend that holds them: the list of deletions
/// (<see cref="Deletions"/>), and that list as shell commands for `check` (<see cref="Commands"/>).
/// </summary>
public static class SurgicalDelete
{
    /// <summary>What the commands delete, as a fix step's title says it.</summary>
    public static string Deletes(RuleSource source, bool one = false) =>
        source.IsNftables ? one ? "its rules, by handle" : "their rules, by handle"
        : one ? "its stale jump and chain" : "their jumps and chains";

    public static IReadOnlyList<string> Commands(RuleSource source, IEnumerable<HostPortClaim> claims) =>
        Deletions(source, claims).SelectMany(deletion => Commands(source, deletion)).ToList();

    /// <summary>The shell commands of one deletion, values shell-quoted (docs/contract.md §3).</summary>
    public static IEnumerable<string> Commands(RuleSource source, RuleDeletion deletion)
    {
        switch (deletion)
        {
            case RuleDeletion.Jump jump:
                yield return $"sudo {source.IptablesCommand} -t nat -D {HostPortAnalyzer.DnatChain} {ShellQuote.Join(jump.Rule.Arguments)}";
                break;
            case RuleDeletion.Chain chain:
                yield return $"sudo {source.IptablesCommand} -t nat -F {ShellQuote.Quote(chain.Name)}";
                yield return $"sudo {source.IptablesCommand} -t nat -X {ShellQuote.Quote(chain.Name)}";
                break;
            case RuleDeletion.NftRule rule:
                yield return NftDelete(source, rule);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(deletion), deletion, null);
        }
    }

    /// <summary>What removes the claims' rules, in the order it must run.</summary>
    public static IReadOnlyList<RuleDeletion> Deletions(RuleSource source, IEnumerable<HostPortClaim> claims) =>
        source.IsNftables ? NftablesDeletions(source, claims) : IptablesDeletions(source, claims);

    /// <summary>Orphan CNI-DN-* chains: each flushed and deleted.</summary>
    public static IReadOnlyList<RuleDeletion> OrphanDeletions(IEnumerable<string> chains) =>
        [.. chains.Select(chain => new RuleDeletion.Chain(chain, null))];

    /// <summary>The entry jumps, then their CNI-DN-* chains.</summary>
    private static List<RuleDeletion> IptablesDeletions(RuleSource source, IEnumerable<HostPortClaim> claims)
    {
        // Each entry jump is listed once even when it claims several ports.
        var entries = claims
            .Select(claim => claim.Rule is ClaimRule.Iptables rule ? (claim.ContainerId, Rule: rule.Entry ?? rule.Dnat) : throw new ArgumentException($"an iptables claim was expected in {source}", nameof(claims)))
            .DistinctBy(pair => pair.Rule.LineNumber)
            .ToList();
        // Every jump first: a chain can only be deleted once nothing jumps to it, and portmap writes one entry
        // per protocol (and per 15 ports) into the same CNI-DN-* chain.
        var deletions = entries.Select(entry => (RuleDeletion)new RuleDeletion.Jump(entry.Rule, entry.ContainerId)).ToList();
        deletions.AddRange(entries
            .Where(entry => entry.Rule.Target is { } target && target.StartsWith("CNI-DN-", StringComparison.Ordinal))
            .DistinctBy(entry => entry.Rule.Target, StringComparer.Ordinal)
            .Select(entry => new RuleDeletion.Chain(entry.Rule.Target!, entry.ContainerId)));
        return deletions;
    }

    /// <summary>The DNAT rules, then the sandbox's masquerade rules, each by handle.</summary>
    private static List<RuleDeletion> NftablesDeletions(RuleSource source, IEnumerable<HostPortClaim> claims)
    {
        var rules = claims
            .Select(claim => claim.Rule is ClaimRule.Nftables rule ? (claim.ContainerId, Rule: rule) : throw new ArgumentException($"an nftables claim was expected in {source}", nameof(claims)))
            .ToList();
        var dnat = rules.Select(pair => new RuleDeletion.NftRule(pair.Rule.Dnat, pair.ContainerId));
        var masquerade = rules.SelectMany(pair => pair.Rule.Masquerades.Select(rule => new RuleDeletion.NftRule(rule, pair.ContainerId)));
        return [.. dnat.Concat(masquerade).DistinctBy(rule => (rule.Sandbox, rule.Rule.Chain, rule.Rule.Handle))];
    }

    /// <summary>
    /// A handle is only deleted while the rule it names still carries the sandbox id: nft has no "delete if unchanged",
    /// so each command lists the chain first, and a handle that now holds another rule (the table changed since the
    /// collection) is left alone.
    /// </summary>
    private static string NftDelete(RuleSource source, RuleDeletion.NftRule rule)
    {
        var table = $"{source.NftFamily} {RuleSource.NftablesTable} {rule.Rule.Chain}";
        var number = rule.Rule.Handle.ToString(CultureInfo.InvariantCulture);
        return $"sudo nft -a list chain {table} | grep -qF {ShellQuote.Quote($"comment \"{rule.Sandbox}\" # handle {number}")} && sudo nft delete rule {table} handle {number}";
    }
}
