using NetfilterExporter.Findings;
using NetfilterExporter.Iptables;

namespace NetfilterExporter.HostPorts;

/// <summary>The commands that remove exactly some claims' rules: their entry jumps, then their CNI-DN-* chains.</summary>
public static class SurgicalDelete
{
    public static IReadOnlyList<string> Commands(RuleSource source, IEnumerable<HostPortClaim> claims)
    {
        var iptables = "sudo " + source.IptablesCommand;
        // Each entry jump is listed once even when it claims several ports.
        var entries = claims
            .Select(claim => claim.EntryRule ?? claim.DnatRule)
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
}
