using System.Globalization;
using System.Text.Json;
using NetfilterExporter.Iptables;

namespace NetfilterExporter.Nftables;

/// <summary>
/// Reads <c>nft -j list table FAMILY NAME</c> strictly: every field portmap's rules need must be there with its type,
/// the output must hold exactly that one table, and nothing but its chains and rules. Fields nft adds later are
/// ignored; statements of kinds portmap never writes are kept as <see cref="NftStatement.Other"/> for the analysis to
/// judge. Any problem is an <see cref="NftablesFormatException"/> naming the origin and the JSON path.
/// </summary>
public static class NftTableParser
{
    /// <exception cref="NftablesFormatException">The output is not the listing of that table.</exception>
    public static async Task<NftTable> ParseAsync(Stream json, string origin, IpFamily family, string table, CancellationToken cancellationToken)
    {
        NftablesDocument? document;
        try
        {
            document = await JsonSerializer.DeserializeAsync(json, NftablesJson.Default.NftablesDocument, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException error)
        {
            var at = error.LineNumber is { } line
                ? $" (line {(line + 1).ToString(CultureInfo.InvariantCulture)}, byte {((error.BytePositionInLine ?? 0) + 1).ToString(CultureInfo.InvariantCulture)})"
                : "";
            throw new NftablesFormatException(origin, (error.Path ?? "$") + at, "not the JSON of nft -j list table: " + FirstSentence(error.Message), error);
        }
        if (document is null)
        {
            throw new NftablesFormatException(origin, "$", "null instead of an object with the nftables array");
        }
        return Read(document, origin, FamilyName(family), family, table);
    }

    /// <summary>nft's name of the address family: <c>ip</c> or <c>ip6</c>.</summary>
    public static string FamilyName(IpFamily family) => family == IpFamily.IPv4 ? "ip" : "ip6";

    private static NftTable Read(NftablesDocument document, string origin, string familyName, IpFamily family, string table)
    {
        string? version = null;
        var tables = 0;
        var chains = new List<NftChain>();
        var rules = new List<NftRule>();
        for (var index = 0; index < document.Nftables.Count; index++)
        {
            var where = $"$.nftables[{index.ToString(CultureInfo.InvariantCulture)}]";
            var item = document.Nftables[index];
            var kinds = new[] { item.Metainfo is null ? null : "metainfo", item.Table is null ? null : "table", item.Chain is null ? null : "chain", item.Rule is null ? null : "rule" }
                .OfType<string>()
                .Concat(item.Other?.Keys ?? Enumerable.Empty<string>())
                .ToList();
            if (kinds.Count != 1)
            {
                throw new NftablesFormatException(origin, where, kinds.Count == 0 ? "an object of no kind" : $"one object of several kinds ({string.Join(", ", kinds)})");
            }
            switch (kinds[0])
            {
                case "metainfo":
                    version = item.Metainfo!.Version;
                    break;
                case "table":
                    Expect(origin, where, "table", item.Table!.Family, item.Table.Name, familyName, table);
                    tables++;
                    break;
                case "chain":
                    var chain = item.Chain!;
                    Expect(origin, where, $"chain {chain.Name}", chain.Family, chain.Table, familyName, table);
                    chains.Add(new NftChain(chain.Name, chain.Handle, chain.Hook));
                    break;
                case "rule":
                    var rule = item.Rule!;
                    Expect(origin, where, $"rule handle {rule.Handle.ToString(CultureInfo.InvariantCulture)}", rule.Family, rule.Table, familyName, table);
                    if (!chains.Any(known => known.Name == rule.Chain))
                    {
                        throw new NftablesFormatException(origin, where, $"rule handle {rule.Handle.ToString(CultureInfo.InvariantCulture)} is in chain {rule.Chain}, which the table does not list");
                    }
                    rules.Add(new NftRule(rule.Chain, rule.Handle, rule.Comment, [.. rule.Expr.Select((statement, at) => Statement(statement, origin, $"{where}.rule.expr[{at.ToString(CultureInfo.InvariantCulture)}]"))], where));
                    break;
                default:
                    throw new NftablesFormatException(origin, where, $"a {kinds[0]}, which a portmap table never holds");
            }
        }
        if (tables != 1)
        {
            throw new NftablesFormatException(origin, "$.nftables", $"{tables.ToString(CultureInfo.InvariantCulture)} table objects instead of the one table {familyName} {table}");
        }
        return new NftTable(family, table, chains, rules, version);
    }

    private static void Expect(string origin, string where, string what, string family, string table, string expectedFamily, string expectedTable)
    {
        if (family != expectedFamily || table != expectedTable)
        {
            throw new NftablesFormatException(origin, where, $"{what} belongs to table {family} {table}, not to {expectedFamily} {expectedTable}");
        }
    }

    private static NftStatement Statement(JsonElement statement, string origin, string where)
    {
        if (statement.ValueKind != JsonValueKind.Object)
        {
            throw new NftablesFormatException(origin, where, $"a statement must be an object, not {Kind(statement)}");
        }
        using var properties = statement.EnumerateObject();
        if (!properties.MoveNext())
        {
            throw new NftablesFormatException(origin, where, "an empty statement");
        }
        var property = properties.Current;
        if (properties.MoveNext())
        {
            throw new NftablesFormatException(origin, where, "a statement with more than one key");
        }
        var body = property.Value;
        var at = $"{where}.{property.Name}";
        return property.Name switch
        {
            "match" => new NftStatement.Match(Expression(Member(body, "left", origin, at), origin, $"{at}.left"), String(Member(body, "op", origin, at), origin, $"{at}.op"),
                Expression(Member(body, "right", origin, at), origin, $"{at}.right")),
            "jump" or "goto" => new NftStatement.Jump(String(Member(body, "target", origin, at), origin, $"{at}.target"), property.Name == "goto"),
            "dnat" => Dnat(body, origin, at),
            "masquerade" => new NftStatement.Masquerade(),
            "counter" when body.ValueKind == JsonValueKind.Object =>
                new NftStatement.Counter(UnsignedNumber(Member(body, "packets", origin, at), origin, $"{at}.packets"), UnsignedNumber(Member(body, "bytes", origin, at), origin, $"{at}.bytes")),
            _ => new NftStatement.Other(property.Name),
        };
    }

    private static NftStatement Dnat(JsonElement body, string origin, string at)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new NftablesFormatException(origin, at, $"dnat must be an object, not {Kind(body)}");
        }
        var address = Member(body, "addr", origin, at);
        if (address.ValueKind != JsonValueKind.String)
        {
            return new NftStatement.Other("dnat to a map or expression");
        }
        int? port = null;
        if (body.TryGetProperty("port", out var portElement))
        {
            if (portElement.ValueKind != JsonValueKind.Number || !portElement.TryGetInt32(out var value) || value is < 1 or > 65535)
            {
                return new NftStatement.Other("dnat to a port range or expression");
            }
            port = value;
        }
        return new NftStatement.Dnat(address.GetString()!, port);
    }

    /// <summary>An expression as nft writes it in text, enough to tell portmap's matches apart.</summary>
    private static string Expression(JsonElement expression, string origin, string where)
    {
        switch (expression.ValueKind)
        {
            case JsonValueKind.String:
                return expression.GetString()!;
            case JsonValueKind.Number:
                return expression.GetRawText();
            case JsonValueKind.Object:
                using (var properties = expression.EnumerateObject())
                {
                    if (!properties.MoveNext())
                    {
                        throw new NftablesFormatException(origin, where, "an empty expression");
                    }
                    var property = properties.Current;
                    var body = property.Value;
                    return property.Name switch
                    {
                        "payload" when body.TryGetProperty("protocol", out var protocol) && body.TryGetProperty("field", out var field) =>
                            $"{String(protocol, origin, $"{where}.payload.protocol")} {String(field, origin, $"{where}.payload.field")}",
                        "meta" when body.TryGetProperty("key", out var key) => $"meta {String(key, origin, $"{where}.meta.key")}",
                        "fib" when body.TryGetProperty("result", out var result) && body.TryGetProperty("flags", out var flags) && flags.ValueKind == JsonValueKind.Array =>
                            $"fib {string.Join(" . ", flags.EnumerateArray().Select((flag, i) => String(flag, origin, $"{where}.fib.flags[{i.ToString(CultureInfo.InvariantCulture)}]")))} {String(result, origin, $"{where}.fib.result")}",
                        "prefix" when body.TryGetProperty("addr", out var address) && body.TryGetProperty("len", out var length) =>
                            $"{String(address, origin, $"{where}.prefix.addr")}/{length.GetRawText()}",
                        _ => expression.GetRawText(),
                    };
                }
            default:
                return expression.GetRawText();
        }
    }

    private static JsonElement Member(JsonElement body, string name, string origin, string where) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value)
            ? value
            : throw new NftablesFormatException(origin, where, $"no \"{name}\"");

    private static string String(JsonElement value, string origin, string where) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new NftablesFormatException(origin, where, $"expected a string, not {Kind(value)}");

    private static ulong UnsignedNumber(JsonElement value, string origin, string where) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetUInt64(out var number) ? number : throw new NftablesFormatException(origin, where, $"expected a count, not {value.GetRawText()}");

    private static string Kind(JsonElement value) => value.ValueKind.ToString().ToLowerInvariant();

    private static string FirstSentence(string message) => message.Split(". ", 2)[0].TrimEnd('.');
}
