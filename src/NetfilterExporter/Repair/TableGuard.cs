using System.Globalization;
using NetfilterExporter.DumpSources;
using NetfilterExporter.HostPorts;
using NetfilterExporter.Iptables;
using NetfilterExporter.Nftables;

namespace NetfilterExporter.Repair;

/// <summary>
/// Reads a table again just before its transaction and says what changed since the plan among the rules it deletes. Any
/// change aborts that table's repair with nothing changed: the evidence the plan was made from no longer holds. The read
/// is the collectors' own (the save command through <see cref="SaveCommandDumpSource"/>, nft through
/// <see cref="NftablesCollector.ListAsync"/>), so both reads parse rules the same way.
/// </summary>
public static class TableGuard
{
    /// <returns>What changed, one sentence each; empty when every planned rule is still there as planned.</returns>
    public static async Task<IReadOnlyList<string>> CheckAsync(TableRepair repair, RepairTools tools, CancellationToken cancellationToken)
    {
        var source = repair.Source;
        if (source.IsNftables)
        {
            return Compare(repair, await NftablesCollector.ListAsync(source, tools.Require("nft"), tools.Timeout, cancellationToken));
        }
        var dumps = new SaveCommandDumpSource(source, tools.Require(source.SaveCommand), tools.Timeout, tools.LegacyTables);
        return Compare(repair, await dumps.ReadAsync(cancellationToken));
    }

    /// <summary>
    /// iptables: each planned jump is still in CNI-HOSTPORT-DNAT with exactly the arguments it was saved with, as many
    /// times as the plan saw it (counters may differ: traffic moves them); each planned chain holds exactly the rules it
    /// held, and an orphan is still not jumped to.
    /// </summary>
    public static IReadOnlyList<string> Compare(TableRepair repair, NatTable now)
    {
        if (!now.Present)
        {
            return [$"the {repair.Source} nat table is gone"];
        }
        var changes = new List<string>();
        var dnatNow = now.CniChains.GetValueOrDefault(HostPortAnalyzer.DnatChain) ?? [];
        var dnatThen = repair.Collected.GetValueOrDefault(HostPortAnalyzer.DnatChain) ?? [];
        foreach (var jump in repair.Deletions.Select(deletion => deletion.Deletion).OfType<RuleDeletion.Jump>())
        {
            var then = dnatThen.Count(rule => SameArguments(rule, jump.Rule));
            var count = dnatNow.Count(rule => SameArguments(rule, jump.Rule));
            if (count != then)
            {
                changes.Add(count == 0
                    ? $"the jump {Describe(jump.Rule)} is no longer in {HostPortAnalyzer.DnatChain}"
                    : $"the jump {Describe(jump.Rule)} is now in {HostPortAnalyzer.DnatChain} {count.ToString(CultureInfo.InvariantCulture)} times, not {then.ToString(CultureInfo.InvariantCulture)}");
            }
        }
        foreach (var deletion in repair.Deletions.Where(deletion => deletion.Deletion is RuleDeletion.Chain))
        {
            var chain = ((RuleDeletion.Chain)deletion.Deletion).Name;
            if (!now.CniChains.TryGetValue(chain, out var rulesNow))
            {
                changes.Add($"the chain {chain} is gone");
                continue;
            }
            var rulesThen = repair.Collected.GetValueOrDefault(chain) ?? [];
            if (!rulesNow.Select(rule => rule.Arguments).SequenceEqual(rulesThen.Select(rule => rule.Arguments), ArgumentsComparer.Instance))
            {
                changes.Add($"the chain {chain} now holds other rules ({rulesNow.Count.ToString(CultureInfo.InvariantCulture)}, planned with {rulesThen.Count.ToString(CultureInfo.InvariantCulture)})");
            }
            if (deletion.Why == RepairPlanner.OrphanWhy && now.ReferencedCniChains.Contains(chain))
            {
                changes.Add($"the chain {chain} is no longer an orphan: a rule jumps to it now");
            }
        }
        return changes;
    }

    /// <summary>
    /// nftables: each planned handle still holds a rule in the same chain with the same comment (the sandbox id) and the
    /// same statements (a counter's values aside). nft reuses no handle within a table, but a table deleted and loaded
    /// again numbers its rules anew: the comparison, not the number, is what makes the delete safe.
    /// </summary>
    public static IReadOnlyList<string> Compare(TableRepair repair, NftTable? now)
    {
        if (now is null)
        {
            return [$"portmap's {repair.Source.NftFamily} {RuleSource.NftablesTable} table is gone"];
        }
        var byHandle = now.Rules.ToDictionary(rule => rule.Handle);
        var changes = new List<string>();
        foreach (var planned in repair.Deletions.Select(deletion => deletion.Deletion).OfType<RuleDeletion.NftRule>().Select(deletion => deletion.Rule))
        {
            var handle = planned.Handle.ToString(CultureInfo.InvariantCulture);
            if (!byHandle.TryGetValue(planned.Handle, out var rule))
            {
                changes.Add($"handle {handle} ({planned.Chain}, {planned.Comment}) holds no rule now");
            }
            else if (!SameNftRule(rule, planned))
            {
                changes.Add($"handle {handle} now holds another rule: chain {rule.Chain}, comment {rule.Comment ?? "none"} (planned: chain {planned.Chain}, comment {planned.Comment})");
            }
        }
        return changes;
    }

    private static bool SameArguments(NatRule left, NatRule right) => ArgumentsComparer.Instance.Equals(left.Arguments, right.Arguments);

    private static bool SameNftRule(NftRule now, NftRule planned) =>
        now.Chain == planned.Chain && now.Comment == planned.Comment
        && now.Statements.Select(WithoutCounts).SequenceEqual(planned.Statements.Select(WithoutCounts));

    // Traffic moves counters between the two reads; what the rule matches and does is what must not have changed.
    private static NftStatement WithoutCounts(NftStatement statement) => statement is NftStatement.Counter ? new NftStatement.Counter(0, 0) : statement;

    private static string Describe(NatRule rule) => RestoreQuote.Join(rule.Arguments);

    /// <summary>Arguments as saved, compared ordinally, token by token: the bytes iptables-save printed, minus its spacing.</summary>
    private sealed class ArgumentsComparer : IEqualityComparer<IReadOnlyList<string>>
    {
        public static ArgumentsComparer Instance { get; } = new();

        public bool Equals(IReadOnlyList<string>? x, IReadOnlyList<string>? y) =>
            ReferenceEquals(x, y) || x is not null && y is not null && x.SequenceEqual(y, StringComparer.Ordinal);

        public int GetHashCode(IReadOnlyList<string> obj) => obj.Count;
    }
}
