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
    /// <param name="json">The whole listing: bytes that are not UTF-8 are found before any string is read (nft writes
    /// UTF-8; JsonElement only notices when a string is converted, and then throws an exception that names no place).</param>
    /// <exception cref="NftablesFormatException">The output is not the listing of that table.</exception>
    public static NftTable Parse(ReadOnlySpan<byte> bytes, string origin, IpFamily family, string table)
    {
        if (FirstInvalidUtf8(bytes) is { } invalid)
        {
            throw new NftablesFormatException(origin, $"$ ({Position(bytes, invalid)})", "not UTF-8, which nft always writes");
        }
        NftablesDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(bytes, NftablesJson.Default.NftablesDocument);
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

    /// <summary>The offset of the first byte that does not start or continue a UTF-8 character; null when all are valid.</summary>
    private static int? FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return null;
        }
        var offset = 0;
        while (System.Text.Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) == System.Buffers.OperationStatus.Done)
        {
            offset += consumed;
        }
        return offset;
    }

    /// <summary>"line L, byte B" of an offset, as a JSON error names its place.</summary>
    private static string Position(ReadOnlySpan<byte> bytes, int offset)
    {
        var before = bytes[..offset];
        var line = before.Count((byte)'\n') + 1;
        var column = offset - (before.LastIndexOf((byte)'\n') + 1) + 1;
        return $"line {line.ToString(CultureInfo.InvariantCulture)}, byte {column.ToString(CultureInfo.InvariantCulture)}";
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
            var item = document.Nftables[index]
                ?? throw new NftablesFormatException(origin, where, "null instead of an object");
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
        var name = Name(property, origin, where);
        var at = $"{where}.{name}";
        return name switch
        {
            "match" => new NftStatement.Match(Expression(Member(body, "left", origin, at), origin, $"{at}.left"), String(Member(body, "op", origin, at), origin, $"{at}.op"),
                Expression(Member(body, "right", origin, at), origin, $"{at}.right")),
            "jump" or "goto" => new NftStatement.Jump(String(Member(body, "target", origin, at), origin, $"{at}.target"), name == "goto"),
            "dnat" => Dnat(body, origin, at),
            "masquerade" => new NftStatement.Masquerade(),
            "counter" when body.ValueKind == JsonValueKind.Object =>
                new NftStatement.Counter(UnsignedNumber(Member(body, "packets", origin, at), origin, $"{at}.packets"), UnsignedNumber(Member(body, "bytes", origin, at), origin, $"{at}.bytes")),
            _ => new NftStatement.Other(name),
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
        return new NftStatement.Dnat(String(address, origin, $"{at}.addr"), port);
    }

    /// <summary>An expression as nft writes it in text, enough to tell portmap's matches apart.</summary>
    private static string Expression(JsonElement expression, string origin, string where)
    {
        switch (expression.ValueKind)
        {
            case JsonValueKind.String:
                return String(expression, origin, where);
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
                    var name = Name(property, origin, where);
                    // nft writes these as objects; anything else would make the member look-ups below throw.
                    if (name is "payload" or "meta" or "fib" or "prefix" && body.ValueKind != JsonValueKind.Object)
                    {
                        throw new NftablesFormatException(origin, $"{where}.{name}", $"expected an object, not {Kind(body)}");
                    }
                    return name switch
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

    private static string String(JsonElement value, string origin, string where)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw new NftablesFormatException(origin, where, $"expected a string, not {Kind(value)}");
        }
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException error)
        {
            // An escaped lone surrogate ("\ud800"): valid JSON syntax, but no string.
            throw new NftablesFormatException(origin, where, "a string that is not valid Unicode", error);
        }
    }

    /// <summary>A member's name, refused like <see cref="String"/> when it is not valid Unicode.</summary>
    private static string Name(JsonProperty property, string origin, string where)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException error)
        {
            throw new NftablesFormatException(origin, where, "a member name that is not valid Unicode", error);
        }
    }

    private static ulong UnsignedNumber(JsonElement value, string origin, string where) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetUInt64(out var number) ? number : throw new NftablesFormatException(origin, where, $"expected a count, not {value.GetRawText()}");

    private static string Kind(JsonElement value) => value.ValueKind.ToString().ToLowerInvariant();

    private static string FirstSentence(string message) => message.Split(". ", 2)[0].TrimEnd('.');
}
