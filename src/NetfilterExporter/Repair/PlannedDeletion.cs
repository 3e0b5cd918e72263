using System.Globalization;
using NetfilterExporter.HostPorts;
using NetfilterExporter.Iptables;

namespace NetfilterExporter.Repair;

/// <summary>One deletion of a table repair and whose rule it is.</summary>
/// <param name="Pod">"namespace/name" when the runtime still lists the sandbox; null otherwise (and for an orphan chain).</param>
/// <param name="Why">The finding that asks for it: <c>hostport-stale-claim</c> or <c>hostport-orphan-chain</c>.</param>
public sealed record PlannedDeletion(RuleDeletion Deletion, string? Pod, string Why)
{
    /// <summary>The rule or chain, as one log line names it: "jump CNI-HOSTPORT-DNAT -p tcp … -j CNI-DN-…", "chain CNI-DN-…", "rule ip cni_hostport hostports handle 11".</summary>
    public string Rule(RuleSource source) => Deletion switch
    {
        RuleDeletion.Jump jump => $"jump {HostPortAnalyzer.DnatChain} {RestoreQuote.Join(jump.Rule.Arguments)}",
        RuleDeletion.Chain chain => $"chain {chain.Name}",
        RuleDeletion.NftRule rule => $"rule {source.NftFamily} {RuleSource.NftablesTable} {rule.Rule.Chain} handle {rule.Rule.Handle.ToString(CultureInfo.InvariantCulture)}",
        _ => throw new InvalidOperationException($"unknown deletion {Deletion}"),
    };
}
