using System.Globalization;
using System.Text.RegularExpressions;

namespace NetfilterExporter.TestSupport;

/// <summary>
/// The portmap rules in an <c>iptables-save -c -t nat</c> dump: the CNI-HOSTPORT-DNAT jumps in order and the DNAT
/// rules of the CNI-DN-* chains. A deliberately small reading of exactly portmap's rule shapes, independent of the
/// exporter's parser, so tests can check the exporter against what iptables itself printed.
/// </summary>
public sealed partial class SavedHostPortRules
{
    private SavedHostPortRules(IReadOnlyList<HostPortJump> jumps, IReadOnlyList<DnatRule> dnatRules)
    {
        Jumps = jumps;
        DnatRules = dnatRules;
    }

    public IReadOnlyList<HostPortJump> Jumps { get; }

    public IReadOnlyList<DnatRule> DnatRules { get; }

    /// <summary>Parses a dump saved with -c (every rule line starts with [packets:bytes]).</summary>
    public static SavedHostPortRules Parse(string dump)
    {
        var jumps = new List<HostPortJump>();
        var dnatRules = new List<DnatRule>();
        foreach (var line in dump.Split('\n'))
        {
            if (JumpLine().Match(line) is { Success: true } jump)
            {
                jumps.Add(new HostPortJump(
                    jumps.Count + 1,
                    jump.Groups["id"].Value,
                    [.. jump.Groups["ports"].Value.Split(',').Select(p => int.Parse(p, NumberStyles.None, CultureInfo.InvariantCulture))],
                    jump.Groups["chain"].Value,
                    long.Parse(jump.Groups["packets"].Value, NumberStyles.None, CultureInfo.InvariantCulture)));
            }
            else if (DnatLine().Match(line) is { Success: true } dnat)
            {
                dnatRules.Add(new DnatRule(
                    dnat.Groups["chain"].Value,
                    int.Parse(dnat.Groups["port"].Value, NumberStyles.None, CultureInfo.InvariantCulture),
                    dnat.Groups["destination"].Value,
                    long.Parse(dnat.Groups["packets"].Value, NumberStyles.None, CultureInfo.InvariantCulture)));
            }
        }
        return new SavedHostPortRules(jumps, dnatRules);
    }

    /// <summary>The jumps whose --dports include <paramref name="port"/>, in chain order.</summary>
    public IReadOnlyList<HostPortJump> JumpsFor(int port) => [.. Jumps.Where(j => j.Ports.Contains(port))];

    /// <summary>The DNAT rule for <paramref name="port"/> in the chain the sandbox's jump leads to.</summary>
    public DnatRule DnatFor(string sandboxId, int port)
    {
        var jump = Jumps.Single(j => j.SandboxId == sandboxId && j.Ports.Contains(port));
        return DnatRules.Single(r => r.Chain == jump.Chain && r.Port == port);
    }

    // [0:0] -A CNI-HOSTPORT-DNAT -p tcp -m comment --comment "dnat name: \"k8s-pod-network\" id: \"ID\"" -m multiport --dports 80,443 -j CNI-DN-...
    [GeneratedRegex("""^\[(?<packets>\d+):\d+\] -A CNI-HOSTPORT-DNAT .*id: \\"(?<id>[0-9a-f]+)\\"" -m multiport --dports (?<ports>[\d,]+) -j (?<chain>CNI-DN-\S+)$""")]
    private static partial Regex JumpLine();

    // [1:60] -A CNI-DN-... -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.1.76.2:8080
    [GeneratedRegex("""^\[(?<packets>\d+):\d+\] -A (?<chain>CNI-DN-\S+) .*--dport (?<port>\d+) -j DNAT --to-destination (?<destination>\S+)$""")]
    private static partial Regex DnatLine();
}
