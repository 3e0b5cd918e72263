using NetfilterExporter.Iptables;

namespace NetfilterExporter.HostPorts;

/// <summary>
/// Walks CNI-HOSTPORT-DNAT the way the kernel evaluates it: each entry jump in order, into its CNI-DN-* chain,
/// collecting the DNAT rules traffic can reach. DNAT rules anywhere else (kube-proxy's KUBE-SEP-*) are not
/// host ports and are never counted.
/// </summary>
public static class HostPortAnalyzer
{
    public const string DnatChain = "CNI-HOSTPORT-DNAT";
    public static readonly IReadOnlyList<string> SharedChains = [DnatChain, "CNI-HOSTPORT-SETMARK", "CNI-HOSTPORT-MASQ"];
    private const string PerContainerChainPrefix = "CNI-DN-";

    // iptables refuses loops, but a hand-edited dump need not; portmap nests one level.
    private const int MaxJumpDepth = 16;

    // portmap maps single ports; a range on a DNAT rule is enumerated only when small.
    private const int MaxEnumeratedRange = 256;

    public static HostPortReport Analyze(NatTable table)
    {
        var claims = new SortedDictionary<HostPortKey, List<HostPortClaim>>();
        if (table.CniChains.TryGetValue(DnatChain, out var entries))
        {
            foreach (var entry in entries)
            {
                Visit(table, entry, entry, entry.Protocol, entry.DestinationPorts, depth: 0, claims);
            }
        }
        var ports = claims.Select(pair => new HostPortClaims(pair.Key, pair.Value)).ToList();
        var chainRules = SharedChains
            .Where(table.CniChains.ContainsKey)
            .ToDictionary(name => name, name => table.CniChains[name].Count, StringComparer.Ordinal);
        var orphans = table.CniChains.Keys
            .Where(name => name.StartsWith(PerContainerChainPrefix, StringComparison.Ordinal) && !table.ReferencedCniChains.Contains(name))
            .Order(StringComparer.Ordinal)
            .ToList();
        return new HostPortReport(ports, chainRules, orphans, table.TotalRules) { CniChains = table.CniChains };
    }

    private static void Visit(
        NatTable table, NatRule rule, NatRule entry, string? protocol, IReadOnlyList<PortRange> portFilter, int depth,
        SortedDictionary<HostPortKey, List<HostPortClaim>> claims)
    {
        if (rule.HasNegatedMatch)
        {
            // "! --dport 80" claims every port but one: not a host-port mapping portmap writes.
            return;
        }
        if (rule.Protocol is not null && protocol is not null && rule.Protocol != protocol)
        {
            return;
        }
        var effectiveProtocol = rule.Protocol ?? protocol;
        // Traffic reaching this rule passed every enclosing port match, so only the intersection can match here.
        var effectivePorts = rule.DestinationPorts.Count == 0 ? portFilter
            : portFilter.Count == 0 ? rule.DestinationPorts
            : Intersect(rule.DestinationPorts, portFilter);
        if (effectivePorts.Count == 0 && rule.DestinationPorts.Count > 0)
        {
            return;
        }
        if (rule.Target == "DNAT")
        {
            AddClaims(rule, entry, effectiveProtocol, effectivePorts, claims);
        }
        else if (rule.Target is { } target && target != DnatChain && depth < MaxJumpDepth
                 && table.CniChains.TryGetValue(target, out var chain))
        {
            foreach (var inner in chain)
            {
                Visit(table, inner, entry, effectiveProtocol, effectivePorts, depth + 1, claims);
            }
        }
    }

    private static void AddClaims(
        NatRule dnat, NatRule entry, string? protocol, IReadOnlyList<PortRange> ports,
        SortedDictionary<HostPortKey, List<HostPortClaim>> claims)
    {
        if (protocol is null)
        {
            return;
        }
        var (network, containerId) = PortmapComment.Read(entry.Comment ?? dnat.Comment);
        var hostIp = HostIp(dnat.Destination ?? entry.Destination);
        foreach (var range in ports)
        {
            if (range.Last - range.First >= MaxEnumeratedRange)
            {
                continue;
            }
            for (var port = range.First; port <= range.Last; port++)
            {
                var key = new HostPortKey(protocol, hostIp, port);
                if (!claims.TryGetValue(key, out var list))
                {
                    claims[key] = list = [];
                }
                list.Add(new HostPortClaim(
                    list.Count + 1,
                    containerId,
                    network,
                    dnat.Chain,
                    dnat.ToDestination ?? PortmapComment.Unknown,
                    dnat.Packets,
                    new ClaimRule.Iptables(dnat, ReferenceEquals(dnat, entry) ? null : entry)));
            }
        }
    }

    private static List<PortRange> Intersect(IReadOnlyList<PortRange> left, IReadOnlyList<PortRange> right) =>
        left.SelectMany(a => right
                .Where(b => a.First <= b.Last && b.First <= a.Last)
                .Select(b => new PortRange(Math.Max(a.First, b.First), Math.Min(a.Last, b.Last))))
            .ToList();

    /// <summary>iptables-save prints a host IP as 192.168.1.5/32 or fd00::1/128; the label shows the address.</summary>
    private static string HostIp(string? destination)
    {
        if (destination is null)
        {
            return HostPortKey.AnyHostIp;
        }
        var slash = destination.IndexOf('/');
        if (slash < 0)
        {
            return destination;
        }
        var prefix = destination[(slash + 1)..];
        var isHostPrefix = prefix == "32" && !destination.Contains(':') || prefix == "128";
        return isHostPrefix ? destination[..slash] : destination;
    }
}
