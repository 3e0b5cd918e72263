using System.Globalization;
using NetfilterExporter.Nftables;

namespace NetfilterExporter.HostPorts;

/// <summary>
/// Finds the host port claims in portmap's nftables table (<c>cni_hostport</c>, CNI plugins ≥ 1.6) in the order the
/// kernel evaluates them: the base chains' jumps in rule order (v1.9's <c>hostports_all</c>, or directly to
/// <c>hostip_hostports</c> then <c>hostports</c> before it), then each chain's rules in order. DNAT is terminal, so
/// the first rule matching a port wins.
/// </summary>
public static class PortmapNftAnalyzer
{
    public const string HostPortsChain = "hostports";
    public const string HostIpHostPortsChain = "hostip_hostports";
    public const string MasqueradeChain = "masquerading";

    private static readonly string[] ClaimChains = [HostIpHostPortsChain, HostPortsChain];
    private static readonly string[] EntryHooks = ["prerouting", "output"];
    private static readonly string[] Protocols = ["tcp", "udp", "sctp"];

    /// <exception cref="NftablesFormatException">A rule in portmap's DNAT chains that portmap does not write.</exception>
    public static HostPortReport Analyze(NftTable table, string origin)
    {
        var order = new List<string>();
        var walked = new HashSet<string>(StringComparer.Ordinal);
        foreach (var hook in EntryHooks)
        {
            foreach (var chain in table.Chains.Where(chain => chain.Hook == hook))
            {
                Walk(table, chain.Name, order, walked);
            }
        }
        var masquerades = table.RulesOf(MasqueradeChain)
            .Where(rule => rule.Comment is not null)
            .GroupBy(rule => rule.Comment!, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => (IReadOnlyList<NftRule>)[.. group], StringComparer.Ordinal);
        var claims = new SortedDictionary<HostPortKey, List<HostPortClaim>>();
        foreach (var chain in order)
        {
            foreach (var rule in table.RulesOf(chain))
            {
                var (key, destination) = Claim(rule, table, origin);
                if (!claims.TryGetValue(key, out var list))
                {
                    claims[key] = list = [];
                }
                var sandbox = rule.Comment!;
                list.Add(new HostPortClaim(list.Count + 1, sandbox, "", chain, destination, null,
                    new ClaimRule.Nftables(rule, masquerades.GetValueOrDefault(sandbox) ?? [])));
            }
        }
        var chainRules = new[] { HostPortsChain, HostIpHostPortsChain, MasqueradeChain }
            .Where(table.HasChain)
            .ToDictionary(name => name, name => table.RulesOf(name).Count(), StringComparer.Ordinal);
        return new HostPortReport([.. claims.Select(pair => new HostPortClaims(pair.Key, pair.Value))], chainRules, [], table.Rules.Count) { NftRules = table.Rules };
    }

    /// <summary>
    /// Adds the claim chains <paramref name="chain"/> reaches, in the order its rules jump, depth first. A chain is walked
    /// once: a second walk can add nothing, and nft allows a chain to be jumped to from many rules, so walking it again
    /// for each would take exponential time in a deep table (16 levels of 10 jumps); it also ends a loop written by hand.
    /// </summary>
    private static void Walk(NftTable table, string chain, List<string> order, HashSet<string> walked)
    {
        if (!walked.Add(chain))
        {
            return;
        }
        foreach (var jump in table.RulesOf(chain).SelectMany(rule => rule.Statements.OfType<NftStatement.Jump>()))
        {
            if (ClaimChains.Contains(jump.Target))
            {
                if (!order.Contains(jump.Target) && table.HasChain(jump.Target))
                {
                    order.Add(jump.Target);
                }
            }
            else if (table.HasChain(jump.Target))
            {
                Walk(table, jump.Target, order, walked);
            }
        }
    }

    /// <summary>
    /// What portmap writes: <c>[ip|ip6 daddr HOSTIP] PROTOCOL dport PORT dnat to ADDRESS[:PORT] comment "SANDBOX-ID"</c>,
    /// with a counter where someone added one. Anything else is a shape this exporter cannot judge.
    /// </summary>
    private static (HostPortKey Key, string Destination) Claim(NftRule rule, NftTable table, string origin)
    {
        var what = $"rule handle {rule.Handle.ToString(CultureInfo.InvariantCulture)} in chain {rule.Chain}";
        NftablesFormatException Unexpected(string problem) =>
            new(origin, rule.Where, $"{what}: {problem}, a rule portmap does not write");
        if (rule.Comment is not { Length: > 0 })
        {
            throw Unexpected("no comment (portmap writes the sandbox id there)");
        }
        var daddr = $"{NftTableParser.FamilyName(table.Family)} daddr";
        string? hostIp = null;
        string? protocol = null;
        int? port = null;
        NftStatement.Dnat? dnat = null;
        foreach (var statement in rule.Statements)
        {
            switch (statement)
            {
                case NftStatement.Match { Operator: "==" } match when match.Left == daddr && hostIp is null && protocol is null:
                    hostIp = match.Right;
                    break;
                case NftStatement.Match { Operator: "==" } match when protocol is null && Protocols.Any(name => match.Left == $"{name} dport"):
                    protocol = match.Left[..match.Left.IndexOf(' ', StringComparison.Ordinal)];
                    port = int.TryParse(match.Right, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= 65535
                        ? value
                        : throw Unexpected($"dport {match.Right} is not one port");
                    break;
                case NftStatement.Dnat to when protocol is not null && dnat is null:
                    dnat = to;
                    break;
                case NftStatement.Counter:
                    break;
                case NftStatement.Match match:
                    throw Unexpected($"the match {match.Left} {match.Operator} {match.Right}");
                case NftStatement.Other other:
                    throw Unexpected($"a {other.Kind} statement");
                default:
                    throw Unexpected($"a {statement.GetType().Name.ToLowerInvariant()} statement here");
            }
        }
        if (dnat is null || protocol is null || port is null)
        {
            throw Unexpected("no dnat to a pod for one port");
        }
        var address = dnat.Address.Contains(':', StringComparison.Ordinal) ? $"[{dnat.Address}]" : dnat.Address;
        var destination = dnat.Port is { } podPort ? $"{address}:{podPort.ToString(CultureInfo.InvariantCulture)}" : address;
        return (new HostPortKey(protocol, hostIp ?? HostPortKey.AnyHostIp, port.Value), destination);
    }
}
