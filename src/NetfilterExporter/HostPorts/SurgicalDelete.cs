using System.Globalization;
using NetfilterExporter.Findings;
using NetfilterExporter.Iptables;

namespace NetfilterExporter.HostPorts;

/// <summary>The commands that remove exactly some claims' rules, in the terms of the backend that holds them.</summary>
public static class SurgicalDelete
{
    /// <summary>What the commands delete, as a fix step's title says it.</summary>
    public static string Deletes(RuleSource source, bool one = false) =>
        source.IsNftables ? one ? "its rules, by handle" : "their rules, by handle"
        : one ? "its stale jump and chain" : "their jumps and chains";

    public static IReadOnlyList<string> Commands(RuleSource source, IEnumerable<HostPortClaim> claims) =>
        source.IsNftables ? NftablesCommands(source, claims) : IptablesCommands(source, claims);

    /// <summary>The entry jumps, then their CNI-DN-* chains.</summary>
    private static List<string> IptablesCommands(RuleSource source, IEnumerable<HostPortClaim> claims)
    {
        var iptables = "sudo " + source.IptablesCommand;
        // Each entry jump is listed once even when it claims several ports.
        var entries = claims
            .Select(claim => claim.Rule is ClaimRule.Iptables rule ? rule.Entry ?? rule.Dnat : throw new ArgumentException($"an iptables claim was expected in {source}", nameof(claims)))
            .DistinctBy(rule => rule.LineNumber)
            .ToList();
        // Every jump first: a chain can only be deleted once nothing jumps to it, and portmap writes one entry
        // per protocol (and per 15 ports) into the same CNI-DN-* chain.
        var commands = entries
            .Select(entry => $"{iptables} -t nat -D {HostPortAnalyzer.DnatChain} {ShellQuote.Join(entry.Arguments)}")
            .ToList();
        foreach (var chain in entries.Select(entry => entry.Target).OfType<string>()
                     .Where(target => target.StartsWith("CNI-DN-", StringComparison.Ordinal)).Distinct(StringComparer.Ordinal))
        {
            commands.Add($"{iptables} -t nat -F {ShellQuote.Quote(chain)}");
            commands.Add($"{iptables} -t nat -X {ShellQuote.Quote(chain)}");
        }
        return commands;
    }

    /// <summary>
    /// The DNAT rules, then the sandbox's masquerade rules, each by handle. A handle is only deleted while the rule it
    /// names still carries the sandbox id: nft has no "delete if unchanged", so each command lists the chain first,
    /// and a handle that now holds another rule (the table changed since the collection) is left alone.
    /// </summary>
    private static List<string> NftablesCommands(RuleSource source, IEnumerable<HostPortClaim> claims)
    {
        var rules = claims
            .Select(claim => claim.Rule is ClaimRule.Nftables rule ? (claim.ContainerId, Rule: rule) : throw new ArgumentException($"an nftables claim was expected in {source}", nameof(claims)))
            .ToList();
        var dnat = rules.Select(pair => (pair.ContainerId, pair.Rule.Chain, pair.Rule.Handle)).Distinct();
        var masquerade = rules.SelectMany(pair => pair.Rule.MasqueradeHandles.Select(handle => (pair.ContainerId, Chain: PortmapNftAnalyzer.MasqueradeChain, Handle: handle))).Distinct();
        return dnat.Concat(masquerade).Select(rule => Delete(source, rule.ContainerId, rule.Chain, rule.Handle)).ToList();
    }

    private static string Delete(RuleSource source, string sandboxId, string chain, long handle)
    {
        var table = $"{source.NftFamily} {RuleSource.NftablesTable} {chain}";
        var number = handle.ToString(CultureInfo.InvariantCulture);
        return $"sudo nft -a list chain {table} | grep -qF {ShellQuote.Quote($"comment \"{sandboxId}\" # handle {number}")} && sudo nft delete rule {table} handle {number}";
    }
}
