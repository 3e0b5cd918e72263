using System.Text;
using System.Text.Json.Nodes;

namespace NetfilterExporter.Tests.Reliability;

/// <summary>
/// Deterministic mutations of real <c>nft -j list table</c> listings. Half the inputs change the JSON's structure
/// (drop, duplicate or retype a member; swap, repeat or move array elements; put the names and numbers that matter
/// to the parser and analyzer in place of others), so that many still reach the analysis. A quarter goes through
/// <see cref="DumpMutator"/>'s byte-level mutations (half of those after structural ones), which mostly break the JSON
/// itself. The same seed always yields the same inputs.
/// </summary>
public sealed class NftJsonMutator(IReadOnlyList<byte[]> seeds, int seed)
{
    private static readonly string[] Names =
    [
        "hostports", "hostip_hostports", "hostports_all", "prerouting", "output", "postrouting", "input", "masquerading", "cni_hostport",
        "ip", "ip6", "inet", "filter", "nat", "tcp", "udp", "sctp", "dport", "sport", "daddr", "saddr", "payload", "meta", "fib", "prefix",
        "match", "jump", "goto", "dnat", "snat", "redirect", "masquerade", "counter", "accept", "return", "set", "map", "range", "concat",
        "==", "!=", "in", "local", "", " ", "\"", "\\", "\u0000", "\u00e9", "\ud83d\udca9", "10.1.254.70", "fd00::1", "192.0.2.10/32",
        "4b42590d177e8116d1fd471bbc720e9491abd9163a1509fd7252af646e803cbf", new string('x', 5000),
    ];

    private static readonly string[] Numbers =
    [
        "0", "1", "80", "65535", "65536", "-1", "2147483648", "4294967296", "9223372036854775807", "9223372036854775808",
        "18446744073709551615", "18446744073709551616", "1e9", "1.5", "-0", "1E400",
    ];

    private readonly Random random = new(seed);
    private readonly DumpMutator bytes = new(seeds, seed);

    public byte[] Next()
    {
        var choice = random.Next(8);
        if (choice == 0)
        {
            // Byte-level only: truncation, flips, inserted tokens and bytes.
            return bytes.Next();
        }
        var root = JsonNode.Parse(seeds[random.Next(seeds.Count)])!;
        var duplicates = new Dictionary<string, string>(StringComparer.Ordinal);
        var mutations = 1 + random.Next(3);
        for (var i = 0; i < mutations; i++)
        {
            Mutate(root, duplicates);
        }
        var text = root.ToJsonString();
        foreach (var (marker, member) in duplicates)
        {
            text = text.Replace(marker, member, StringComparison.Ordinal);
        }
        // Now and then a structural change and byte-level ones together.
        return choice == 1 ? bytes.Mutate(Encoding.UTF8.GetBytes(text)) : Encoding.UTF8.GetBytes(text);
    }

    private void Mutate(JsonNode root, Dictionary<string, string> duplicates)
    {
        var nodes = new List<JsonNode>();
        Collect(root, nodes);
        // Half the time an array: reordered, repeated or shortened rules, chains and statements mostly stay a listing
        // the analysis reads, which retyped members rarely do.
        var arrays = nodes.OfType<JsonArray>().Where(array => array.Count > 0).ToList();
        var target = random.Next(2) == 0 && arrays.Count > 0 ? arrays[random.Next(arrays.Count)] : nodes[random.Next(nodes.Count)];
        switch (target is JsonArray ? 3 + random.Next(3) : random.Next(9))
        {
            case 0 when target.Parent is JsonObject owner:
                // Drop a member.
                owner.Remove(target.GetPropertyName());
                break;
            case 1 when target.Parent is JsonObject owner:
                // A second member of the same name, which JsonObject cannot hold: a marker member, replaced in the text.
                var name = target.GetPropertyName();
                var marker = $"nfx-dup-{duplicates.Count}";
                owner[marker] = 0;
                duplicates[$"\"{marker}\":0"] = $"\"{name}\":{owner[name]?.ToJsonString() ?? "null"}";
                break;
            case 2 when target.Parent is not null:
                Replace(target, Retyped());
                break;
            case 3 when target is JsonArray { Count: > 1 } array:
                var (a, b) = (random.Next(array.Count), random.Next(array.Count));
                var (first, second) = (array[a]?.DeepClone(), array[b]?.DeepClone());
                array[a] = second;
                array[b] = first;
                break;
            case 4 when target is JsonArray { Count: > 0 } array:
                // Repeat an element: the shape of a node with many stale rules, or a chain listed twice.
                var element = array[random.Next(array.Count)];
                var at = random.Next(array.Count + 1);
                for (var copies = 1 + random.Next(random.Next(2) == 0 ? 3 : 200); copies > 0; copies--)
                {
                    array.Insert(at, element?.DeepClone());
                }
                break;
            case 5 when target is JsonArray { Count: > 0 } array:
                array.RemoveAt(random.Next(array.Count));
                break;
            case 6 when target is JsonValue && target.Parent is not null:
                Replace(target, JsonValue.Create(Names[random.Next(Names.Length)]));
                break;
            case 7 when target is JsonValue && target.Parent is not null:
                Replace(target, JsonNode.Parse(Numbers[random.Next(Numbers.Length)]));
                break;
            case 8 when target is JsonObject owner && root["nftables"] is JsonArray items && items.Count > 0:
                // Move a statement, rule or chain object into another place of the listing.
                items.Insert(random.Next(items.Count + 1), owner.DeepClone());
                break;
            default:
                if (target.Parent is not null)
                {
                    Replace(target, Retyped());
                }
                break;
        }
    }

    private JsonNode? Retyped() => random.Next(7) switch
    {
        0 => null,
        1 => JsonValue.Create(random.Next(2) == 0),
        2 => JsonValue.Create(Names[random.Next(Names.Length)]),
        3 => JsonNode.Parse(Numbers[random.Next(Numbers.Length)]),
        4 => new JsonArray(),
        5 => new JsonObject(),
        _ => new JsonObject { [Names[random.Next(Names.Length)]] = JsonValue.Create(Names[random.Next(Names.Length)]) },
    };

    private static void Replace(JsonNode target, JsonNode? replacement)
    {
        switch (target.Parent)
        {
            case JsonObject owner:
                owner[target.GetPropertyName()] = replacement;
                break;
            case JsonArray array:
                array[target.GetElementIndex()] = replacement;
                break;
        }
    }

    private static void Collect(JsonNode? node, List<JsonNode> nodes)
    {
        if (node is null)
        {
            return;
        }
        nodes.Add(node);
        switch (node)
        {
            case JsonObject owner:
                foreach (var (_, child) in owner)
                {
                    Collect(child, nodes);
                }
                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Collect(child, nodes);
                }
                break;
        }
    }
}
