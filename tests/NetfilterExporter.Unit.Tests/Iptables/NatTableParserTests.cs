using System.Text;
using NetfilterExporter.Iptables;

namespace NetfilterExporter.Unit.Tests.Iptables;

public sealed class NatTableParserTests
{
    [Fact]
    public async Task Keeps_cni_chains_with_counters_and_counts_every_nat_rule()
    {
        var dump = Dumps.Example("after-stop-start.legacy-ipv4.txt");
        var table = await Dumps.ParseAsync(dump);

        var expectedRules = dump.Split('\n').Count(line => line.Contains(" -A ", StringComparison.Ordinal));
        Assert.True(table.Present);
        Assert.Equal(expectedRules, table.TotalRules);
        Assert.Equal(2, table.CniChains["CNI-HOSTPORT-DNAT"].Count);
        Assert.DoesNotContain(table.CniChains.Keys, name => name.StartsWith("KUBE-", StringComparison.Ordinal));
        var staleDnat = table.CniChains["CNI-DN-5649e0ce7bb9710670939"].Single(rule => rule.Target == "DNAT" && rule.DestinationPorts[0].First == 80);
        Assert.Equal(37UL, staleDnat.Packets);
        Assert.Equal(2220UL, staleDnat.Bytes);
        Assert.Equal("10.1.254.70:80", staleDnat.ToDestination);
        Assert.Equal("tcp", staleDnat.Protocol);
    }

    [Fact]
    public async Task Unquotes_the_portmap_comment_and_reads_multiport_lists()
    {
        var table = await Dumps.ParseAsync(Dumps.Example("healthy.legacy-ipv4.txt"));

        var entry = Assert.Single(table.CniChains["CNI-HOSTPORT-DNAT"]);
        Assert.Equal("dnat name: \"k8s-pod-network\" id: \"d6437fe2be059268620ea6ecf9cbaa70fbce445e1a5358c974ceda661f4fda92\"", entry.Comment);
        Assert.Equal([new PortRange(80, 80), new PortRange(443, 443)], entry.DestinationPorts);
        Assert.Equal("CNI-DN-e51e97c8bd8bb557017af", entry.Target);
        Assert.Equal(["-p", "tcp", "-m", "comment", "--comment"], entry.Arguments.Take(5));
    }

    [Fact]
    public async Task Reads_ipv6_bracketed_destinations_and_host_prefixes()
    {
        var table = await Dumps.ParseAsync(Dumps.Fixture("after-stop-start.legacy-ipv6.txt"));

        var dnat = table.CniChains["CNI-DN-0b0e9e4a7d3c8f5a2c1d4"].First(rule => rule.Target == "DNAT");
        Assert.Equal("[fd01::46]:80", dnat.ToDestination);
        Assert.Equal("fd01::46/128", table.CniChains["CNI-DN-0b0e9e4a7d3c8f5a2c1d4"][0].Arguments[1]);
    }

    [Fact]
    public async Task Records_which_cni_chains_are_jumped_to_from_any_chain()
    {
        var table = await Dumps.ParseAsync(Dumps.Example("after-stop-start.legacy-ipv4.txt"));

        Assert.Contains("CNI-HOSTPORT-DNAT", table.ReferencedCniChains);
        Assert.Contains("CNI-DN-5649e0ce7bb9710670939", table.ReferencedCniChains);
        Assert.Contains("CNI-HOSTPORT-MASQ", table.ReferencedCniChains);
    }

    [Fact]
    public async Task Marks_negated_matches_and_reads_escaped_quotes_and_backslashes()
    {
        const string dump = """
            *nat
            :PREROUTING ACCEPT [0:0]
            :CNI-HOSTPORT-DNAT - [0:0]
            -A CNI-HOSTPORT-DNAT ! -d 10.0.0.1/32 -p tcp -m comment --comment "a \"quoted\" \\ back" -m tcp --dport 80 -j DNAT --to-destination 10.1.0.5:80
            -A CNI-HOSTPORT-DNAT -p udp -m udp --dport 53 -m comment --comment "-j DNAT" -j DNAT --to-destination 10.1.0.6:53
            -A CNI-HOSTPORT-DNAT -p tcp -m tcp ! --dport 22 -j DNAT --to-destination 10.1.0.7:80
            COMMIT
            """;
        var table = await Dumps.ParseAsync(dump);

        var rules = table.CniChains["CNI-HOSTPORT-DNAT"];
        Assert.False(rules[0].HasNegatedMatch);
        Assert.Null(rules[0].Destination);
        Assert.True(rules[2].HasNegatedMatch);
        Assert.Equal("a \"quoted\" \\ back", rules[0].Comment);
        Assert.False(rules[1].HasNegatedMatch);
        Assert.Equal("-j DNAT", rules[1].Comment);
        Assert.Equal("DNAT", rules[1].Target);
    }

    [Fact]
    public async Task Ignores_other_tables_and_treats_an_empty_dump_as_no_nat_table()
    {
        const string dump = """
            *filter
            :INPUT ACCEPT [0:0]
            -A INPUT -j CNI-HOSTPORT-DNAT
            COMMIT
            """;
        var table = await Dumps.ParseAsync(dump);
        var empty = await Dumps.ParseAsync("");

        Assert.False(table.Present);
        Assert.Equal(0, table.TotalRules);
        Assert.False(empty.Present);
    }

    [Theory]
    [InlineData("*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j ACCEPT\n", 3, "no COMMIT")]
    [InlineData("*nat\n:PREROUTING ACCEPT [0:0]\ngarbage here\nCOMMIT\n", 3, "not iptables-save output")]
    [InlineData("*nat\n:PREROUTING ACCEPT [0:0]\n[12:x] -A PREROUTING -j ACCEPT\nCOMMIT\n", 3, "bad counter prefix")]
    [InlineData("-A PREROUTING -j ACCEPT\n", 1, "outside a table")]
    [InlineData("*nat\n:CNI-HOSTPORT-DNAT - [0:0]\n-A CNI-HOSTPORT-DNAT -m comment --comment \"open -j DNAT\nCOMMIT\n", 3, "unterminated double quote")]
    [InlineData("*nat\n:CNI-HOSTPORT-DNAT - [0:0]\n-A CNI-DN-abc -j DNAT\nCOMMIT\n", 3, "not declared")]
    [InlineData("*nat\n:CNI-HOSTPORT-DNAT - [0:0]\n-A CNI-HOSTPORT-DNAT -p tcp --dport 99999 -j DNAT\nCOMMIT\n", 3, "bad port list")]
    [InlineData("*nat\nCOMMIT\n*nat\nCOMMIT\n", 3, "second nat table")]
    [InlineData("COMMIT\n", 1, "COMMIT outside a table")]
    public async Task Rejects_malformed_dumps_naming_the_line(string dump, int line, string problem)
    {
        var error = await Assert.ThrowsAsync<DumpFormatException>(() => Dumps.ParseAsync(dump, "node-a.txt"));

        Assert.Equal(line, error.LineNumber);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"node-a.txt: line {line}: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejects_random_bytes_without_throwing_anything_else()
    {
        var random = new Random(4944);
        for (var i = 0; i < 200; i++)
        {
            var bytes = new byte[random.Next(1, 512)];
            random.NextBytes(bytes);
            bytes[0] = (byte)'x';
            var error = await Assert.ThrowsAsync<DumpFormatException>(() =>
                NatTableParser.ParseAsync(new MemoryStream(bytes), "random", CancellationToken.None));
            Assert.Equal(1, error.LineNumber);
        }
    }

    [Fact]
    public async Task Streams_dumps_larger_than_its_buffer_and_lines_across_reads()
    {
        var dump = new StringBuilder("*nat\n:PREROUTING ACCEPT [0:0]\n:KUBE-SERVICES - [0:0]\n");
        for (var i = 0; i < 20_000; i++)
        {
            dump.Append("[1:60] -A KUBE-SERVICES -d 10.152.183.").Append(i % 250).Append("/32 -p tcp -m comment --comment \"ns/svc-")
                .Append(i).Append(":http cluster IP\" -m tcp --dport 80 -j KUBE-SVC-ABCDEFGHIJKLMNOP\n");
        }
        dump.Append("COMMIT\n");

        var table = await NatTableParser.ParseAsync(new TrickleStream(Encoding.UTF8.GetBytes(dump.ToString()), 7919), "big", CancellationToken.None);

        Assert.Equal(20_000, table.TotalRules);
        Assert.Empty(table.CniChains);
    }

    /// <summary>Hands out data in small, odd-sized reads, as a pipe does.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
