using System.Text;
using NetfilterExporter.Iptables;
using NetfilterExporter.Nftables;

namespace NetfilterExporter.Unit.Tests.Nftables;

/// <summary>nft -j list table, as a real nft wrote it, and what the parser refuses, naming where.</summary>
public sealed class NftTableParserTests
{
    [Fact]
    public void Reads_chains_in_order_and_rules_with_handles_comments_and_statements()
    {
        var table = NftablesListings.Load("v1.9-after-stop-start");

        Assert.Equal("1.0.6", table.NftVersion);
        Assert.Equal(["hostports", "hostip_hostports", "hostports_all", "prerouting", "output", "masquerading"], table.Chains.Select(chain => chain.Name));
        Assert.Equal([null, null, null, "prerouting", "output", "postrouting"], table.Chains.Select(chain => chain.Hook));
        Assert.Equal(13, table.Rules.Count);
        var first = table.RulesOf("hostports").First();
        Assert.Equal("4b42590d177e8116d1fd471bbc720e9491abd9163a1509fd7252af646e803cbf", first.Comment);
        Assert.Equal(
            [new NftStatement.Match("tcp dport", "==", "80"), new NftStatement.Dnat("10.1.254.70", 80)],
            first.Statements);
        Assert.Equal(
            [new NftStatement.Match("fib daddr type", "==", "local"), new NftStatement.Jump("hostports_all", Goto: false)],
            Assert.Single(table.RulesOf("prerouting")).Statements);
    }

    [Fact]
    public void Ipv6_addresses_come_without_brackets()
    {
        var table = NftablesListings.Load("v1.9-after-stop-start.ipv6", IpFamily.IPv6);

        Assert.Equal(new NftStatement.Dnat("fd00:10:1::46", 80), table.RulesOf("hostports").First().Statements[1]);
    }

    [Theory]
    [InlineData("{\"nftables\": [", "$.nftables[0] (line 1, byte 15): not the JSON of nft -j list table")]
    [InlineData("not json", "$ (line 1, byte 2): not the JSON of nft -j list table")]
    [InlineData("{}", "$ (line 1, byte 3): not the JSON of nft -j list table")]
    [InlineData("{\"nftables\": []}", "$.nftables: 0 table objects instead of the one table ip cni_hostport")]
    [InlineData("{\"nftables\": [{\"table\": {\"family\": \"ip\", \"name\": \"filter\", \"handle\": 1}}]}", "$.nftables[0]: table belongs to table ip filter, not to ip cni_hostport")]
    [InlineData("{\"nftables\": [{\"table\": {\"family\": \"ip\", \"name\": \"cni_hostport\", \"handle\": 1}}, {\"set\": {\"name\": \"s\"}}]}", "$.nftables[1]: a set, which a portmap table never holds")]
    [InlineData("{\"nftables\": [{\"table\": {\"family\": \"ip\", \"name\": \"cni_hostport\", \"handle\": \"one\"}}]}", "$.nftables[0].table.handle (line 1, byte 81): not the JSON of nft -j list table")]
    [InlineData("{\"nftables\": [{\"table\": {\"family\": \"ip\", \"name\": \"cni_hostport\", \"handle\": 1}}, {\"rule\": {\"family\": \"ip\", \"table\": \"cni_hostport\", \"chain\": \"hostports\", \"handle\": 4, \"expr\": []}}]}",
        "$.nftables[1]: rule handle 4 is in chain hostports, which the table does not list")]
    [InlineData("{\"nftables\": [{\"table\": {\"family\": \"ip\", \"name\": \"cni_hostport\", \"handle\": 1}}, {\"chain\": {\"family\": \"ip\", \"table\": \"cni_hostport\", \"name\": \"hostports\", \"handle\": 1}}, {\"rule\": {\"family\": \"ip\", \"table\": \"cni_hostport\", \"chain\": \"hostports\", \"handle\": 4, \"expr\": [{\"match\": {\"op\": \"==\", \"right\": 80}}]}}]}",
        "$.nftables[2].rule.expr[0].match: no \"left\"")]
    public void Bad_input_is_refused_naming_the_command_and_the_json_path(string json, string expected)
    {
        var error = Assert.Throws<NftablesFormatException>(() => NftablesListings.ParseText(json));

        Assert.StartsWith($"{NftablesListings.Origin}: {expected}", error.Message, StringComparison.Ordinal);
    }

    private const string Table = "{\"table\": {\"family\": \"ip\", \"name\": \"cni_hostport\", \"handle\": 1}}";
    private const string Chain = "{\"chain\": {\"family\": \"ip\", \"table\": \"cni_hostport\", \"name\": \"hostports\", \"handle\": 1}}";

    private static string RuleWith(string expressions) =>
        $"{{\"nftables\": [{Table}, {Chain}, {{\"rule\": {{\"family\": \"ip\", \"table\": \"cni_hostport\", \"chain\": \"hostports\", \"handle\": 4, \"comment\": \"c\", \"expr\": {expressions}}}}}]}}";

    /// <summary>Inputs the nft JSON fuzzer (NftJsonFuzzTests) found escaping as other exceptions, reduced to their cause.</summary>
    public static TheoryData<string, string> FuzzerFindings => new()
    {
        // InvalidOperationException from JsonElement.TryGetProperty on a null payload.
        { RuleWith("[{\"match\": {\"op\": \"==\", \"left\": {\"payload\": null}, \"right\": 80}}]"), "$.nftables[2].rule.expr[0].match.left.payload: expected an object, not null" },
        { RuleWith("[{\"match\": {\"op\": \"==\", \"left\": {\"meta\": \"l4proto\"}, \"right\": 6}}]"), "$.nftables[2].rule.expr[0].match.left.meta: expected an object, not string" },
        { RuleWith("[{\"match\": {\"op\": \"==\", \"left\": {\"fib\": [\"daddr\"]}, \"right\": \"local\"}}]"), "$.nftables[2].rule.expr[0].match.left.fib: expected an object, not array" },
        // NullReferenceException: a null element of the nftables array.
        { $"{{\"nftables\": [{Table}, null]}}", "$.nftables[1]: null instead of an object" },
        // InvalidOperationException from GetString and JsonProperty.Name: an escaped lone surrogate is JSON, but no string.
        { RuleWith("[{\"jump\": {\"target\": \"\\ud800\"}}]"), "$.nftables[2].rule.expr[0].jump.target: a string that is not valid Unicode" },
        { RuleWith("[{\"\\udc00\": {}}]"), "$.nftables[2].rule.expr[0]: a member name that is not valid Unicode" },
    };

    [Theory]
    [MemberData(nameof(FuzzerFindings))]
    public void Input_the_fuzzer_found_is_refused_naming_where(string json, string expected)
    {
        var error = Assert.Throws<NftablesFormatException>(() => NftablesListings.ParseText(json));

        Assert.Equal($"{NftablesListings.Origin}: {expected}", error.Message);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_refused_naming_the_line_and_byte()
    {
        // InvalidOperationException from GetString once a string with such a byte was read; found by the fuzzer.
        var json = Encoding.UTF8.GetBytes(RuleWith("[{\"jump\": {\"target\": \"hostports_allX\"}}]").Replace("\"handle\": 4", "\n\"handle\": 4", StringComparison.Ordinal));
        json[Array.LastIndexOf(json, (byte)'X')] = 0xFF;

        var error = Assert.Throws<NftablesFormatException>(() => NftablesListings.Parse(json));

        var line2 = Encoding.UTF8.GetString(json).Split('\n')[1];
        Assert.Equal($"{NftablesListings.Origin}: $ (line 2, byte {line2.IndexOf('\uFFFD', StringComparison.Ordinal) + 1}): not UTF-8, which nft always writes", error.Message);
    }
}
