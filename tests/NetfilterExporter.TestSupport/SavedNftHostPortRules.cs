using System.Text.Json;

namespace NetfilterExporter.TestSupport;

/// <summary>
/// portmap's nftables rules in <c>nft -j list table ip cni_hostport</c>: the DNAT rules of chain <c>hostports</c> in
/// order and every rule's comment (the bare sandbox id, reference/today.md). A deliberately small reading of exactly
/// portmap's shapes, independent of the exporter's parser, so tests can check the exporter against what nft printed.
/// </summary>
public sealed class SavedNftHostPortRules
{
    private SavedNftHostPortRules(IReadOnlyList<NftDnatRule> dnatRules, IReadOnlyList<(string Chain, string Comment)> commented)
    {
        DnatRules = dnatRules;
        Commented = commented;
    }

    /// <summary>The DNAT rules of chain hostports, in chain order: the first match wins.</summary>
    public IReadOnlyList<NftDnatRule> DnatRules { get; }

    /// <summary>Every rule that carries a comment, in any chain (hostports, hostip_hostports, masquerading).</summary>
    public IReadOnlyList<(string Chain, string Comment)> Commented { get; }

    /// <summary>Parses nft's JSON; empty output (no table) is no rules.</summary>
    public static SavedNftHostPortRules Parse(string json)
    {
        var dnat = new List<NftDnatRule>();
        var commented = new List<(string, string)>();
        if (string.IsNullOrWhiteSpace(json))
        {
            return new SavedNftHostPortRules(dnat, commented);
        }
        using var document = JsonDocument.Parse(json);
        foreach (var item in document.RootElement.GetProperty("nftables").EnumerateArray())
        {
            if (!item.TryGetProperty("rule", out var rule))
            {
                continue;
            }
            var chain = rule.GetProperty("chain").GetString()!;
            var comment = rule.TryGetProperty("comment", out var c) ? c.GetString() : null;
            if (comment is not null)
            {
                commented.Add((chain, comment));
            }
            int? port = null;
            string? destination = null;
            foreach (var expression in rule.GetProperty("expr").EnumerateArray())
            {
                if (expression.TryGetProperty("match", out var match)
                    && match.GetProperty("left").TryGetProperty("payload", out var payload)
                    && payload.TryGetProperty("field", out var field) && field.GetString() == "dport")
                {
                    port = match.GetProperty("right").GetInt32();
                }
                else if (expression.TryGetProperty("dnat", out var target))
                {
                    destination = $"{target.GetProperty("addr").GetString()}:{target.GetProperty("port").GetInt32()}";
                }
            }
            if (chain == "hostports" && comment is not null && port is not null && destination is not null)
            {
                dnat.Add(new NftDnatRule(rule.GetProperty("handle").GetInt32(), comment, port.Value, destination));
            }
        }
        return new SavedNftHostPortRules(dnat, commented);
    }

    /// <summary>The DNAT rules for <paramref name="port"/>, in chain order.</summary>
    public IReadOnlyList<NftDnatRule> RulesFor(int port) => [.. DnatRules.Where(r => r.Port == port)];

    /// <summary>The sandbox's DNAT rule for <paramref name="port"/>.</summary>
    public NftDnatRule DnatFor(string sandboxId, int port) => DnatRules.Single(r => r.SandboxId == sandboxId && r.Port == port);

    /// <summary>Whether any rule of the table still names the sandbox.</summary>
    public bool Mentions(string sandboxId) => Commented.Any(rule => rule.Comment == sandboxId);
}

/// <summary>One portmap DNAT rule in nft's chain hostports (portmap's nft rules have no counters).</summary>
public sealed record NftDnatRule(int Handle, string SandboxId, int Port, string Destination);
