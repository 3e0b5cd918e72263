using System.Globalization;
using System.Text;
using NetfilterExporter.HostPorts;
using NetfilterExporter.Iptables;

namespace NetfilterExporter.Repair;

/// <summary>
/// The text of one table's transaction. iptables: <c>iptables-restore --noflush</c> input, one <c>*nat</c> section
/// committed once, so the kernel sees every deletion or none. nftables: <c>nft -f</c> input, which nft applies as one
/// batch, failing whole when any handle is not there.
/// </summary>
public static class TableTransaction
{
    public static string Write(TableRepair repair) => repair.Source.IsNftables
        ? Nftables(repair.Source, repair.Deletions.Select(deletion => deletion.Deletion))
        : Iptables(repair.Deletions.Select(deletion => deletion.Deletion));

    public static string Iptables(IEnumerable<RuleDeletion> deletions)
    {
        var text = new StringBuilder("*nat\n");
        foreach (var deletion in deletions)
        {
            switch (deletion)
            {
                case RuleDeletion.Jump jump:
                    text.Append(CultureInfo.InvariantCulture, $"-D {HostPortAnalyzer.DnatChain} {RestoreQuote.Join(jump.Rule.Arguments)}\n");
                    break;
                case RuleDeletion.Chain chain:
                    text.Append(CultureInfo.InvariantCulture, $"-F {RestoreQuote.Quote(chain.Name)}\n-X {RestoreQuote.Quote(chain.Name)}\n");
                    break;
                default:
                    throw new ArgumentException($"{deletion} is not an iptables deletion", nameof(deletions));
            }
        }
        return text.Append("COMMIT\n").ToString();
    }

    public static string Nftables(RuleSource source, IEnumerable<RuleDeletion> deletions)
    {
        var text = new StringBuilder();
        foreach (var deletion in deletions)
        {
            // Only portmap's own chains hold claims and masquerade rules (hostports, hostip_hostports, masquerading), so
            // no name from the listing is written here unchecked.
            var rule = deletion as RuleDeletion.NftRule ?? throw new ArgumentException($"{deletion} is not an nftables deletion", nameof(deletions));
            text.Append(CultureInfo.InvariantCulture,
                $"delete rule {source.NftFamily} {RuleSource.NftablesTable} {rule.Rule.Chain} handle {rule.Rule.Handle.ToString(CultureInfo.InvariantCulture)}\n");
        }
        return text.ToString();
    }
}
