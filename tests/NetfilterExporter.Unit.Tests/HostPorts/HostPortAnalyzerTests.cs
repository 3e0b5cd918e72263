using NetfilterExporter.HostPorts;

namespace NetfilterExporter.Unit.Tests.HostPorts;

public sealed class HostPortAnalyzerTests
{
    private const string StaleId = "4b42590d177e8116d1fd471bbc720e9491abd9163a1509fd7252af646e803cbf";
    private const string LiveId = "d6437fe2be059268620ea6ecf9cbaa70fbce445e1a5358c974ceda661f4fda92";

    [Fact]
    public async Task Healthy_node_has_one_claim_per_port_and_no_orphans()
    {
        var report = HostPortAnalyzer.Analyze(await Dumps.ParseAsync(Dumps.Example("healthy.legacy-ipv4.txt")));

        Assert.Equal([new HostPortKey("tcp", "any", 80), new HostPortKey("tcp", "any", 443)], report.Ports.Select(p => p.Key));
        Assert.All(report.Ports, port => Assert.Equal(0, port.Duplicates));
        Assert.All(report.Ports, port => Assert.Equal(LiveId, port.Winner.ContainerId));
        Assert.Equal("k8s-pod-network", report.Ports[0].Winner.Network);
        Assert.Equal("10.1.254.72:443", report.Ports[1].Winner.Destination);
        Assert.Empty(report.OrphanChains);
        Assert.Equal(1, report.ChainRules["CNI-HOSTPORT-DNAT"]);
        Assert.Equal(1, report.ChainRules["CNI-HOSTPORT-SETMARK"]);
        Assert.Equal(1, report.ChainRules["CNI-HOSTPORT-MASQ"]);
    }

    [Fact]
    public async Task After_stop_start_the_stale_claim_wins_and_the_new_one_is_shadowed()
    {
        var report = HostPortAnalyzer.Analyze(await Dumps.ParseAsync(Dumps.Example("after-stop-start.legacy-ipv4.txt")));

        var port80 = report.Ports.Single(p => p.Key.Port == 80);
        Assert.Equal(1, port80.Duplicates);
        Assert.Equal([1, 2], port80.Claims.Select(c => c.Position));
        Assert.Equal(StaleId, port80.Winner.ContainerId);
        Assert.Equal("10.1.254.70:80", port80.Winner.Destination);
        Assert.Equal(37UL, port80.Winner.Packets);
        Assert.Equal("CNI-DN-5649e0ce7bb9710670939", port80.Winner.Chain);
        Assert.Equal(LiveId, port80.Claims[1].ContainerId);
        Assert.Equal(0UL, port80.Claims[1].Packets);
        Assert.Equal("CNI-HOSTPORT-DNAT", Assert.IsType<ClaimRule.Iptables>(port80.Winner.Rule).Entry!.Chain);
        Assert.Equal(2, report.ChainRules["CNI-HOSTPORT-DNAT"]);
    }

    [Fact]
    public async Task Kube_proxy_dnat_rules_are_never_host_ports()
    {
        var report = HostPortAnalyzer.Analyze(await Dumps.ParseAsync(Dumps.Example("healthy.legacy-ipv4.txt")));

        Assert.DoesNotContain(report.Ports, p => p.Claims.Any(c => c.Destination == "10.0.2.15:16443"));
        Assert.True(report.NatRules > 20);
    }

    [Fact]
    public async Task A_flushed_dnat_chain_leaves_orphans()
    {
        var dump = string.Join('\n', Dumps.Example("after-stop-start.legacy-ipv4.txt").Split('\n')
            .Where(line => !line.Contains("-A CNI-HOSTPORT-DNAT", StringComparison.Ordinal)));

        var report = HostPortAnalyzer.Analyze(await Dumps.ParseAsync(dump));

        Assert.Empty(report.Ports);
        Assert.Equal(["CNI-DN-5649e0ce7bb9710670939", "CNI-DN-e51e97c8bd8bb557017af"], report.OrphanChains);
        Assert.Equal(0, report.ChainRules["CNI-HOSTPORT-DNAT"]);
    }

    [Fact]
    public async Task Host_ip_mappings_are_keyed_by_address_and_entry_ports_filter_the_chain()
    {
        const string dump = """
            *nat
            :PREROUTING ACCEPT [0:0]
            :CNI-DN-a - [0:0]
            :CNI-DN-b - [0:0]
            :CNI-HOSTPORT-DNAT - [0:0]
            -A CNI-DN-a -d 192.168.111.195/32 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.1.0.7:80
            -A CNI-DN-a -p tcp -m tcp --dport 9090 -j DNAT --to-destination 10.1.0.7:90
            -A CNI-DN-b -p udp -m udp --dport 53 -j DNAT --to-destination 10.1.0.8:53
            -A CNI-HOSTPORT-DNAT -p tcp -m comment --comment "dnat name: \"cbr0\" id: \"aaa\"" -m multiport --dports 8080 -j CNI-DN-a
            -A CNI-HOSTPORT-DNAT -p udp -m comment --comment "dnat name: \"cbr0\" id: \"bbb\"" -m multiport --dports 53 -j CNI-DN-b
            COMMIT
            """;
        var report = HostPortAnalyzer.Analyze(await Dumps.ParseAsync(dump));

        Assert.Equal([new HostPortKey("tcp", "192.168.111.195", 8080), new HostPortKey("udp", "any", 53)], report.Ports.Select(p => p.Key));
        Assert.Equal("bbb", report.Ports[1].Winner.ContainerId);
        Assert.Equal("cbr0", report.Ports[1].Winner.Network);
    }

    [Fact]
    public async Task A_truncated_comment_still_names_the_container_and_a_missing_one_says_unknown()
    {
        const string dump = """
            *nat
            :CNI-DN-a - [0:0]
            :CNI-HOSTPORT-DNAT - [0:0]
            -A CNI-DN-a -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.1.0.7:80
            -A CNI-HOSTPORT-DNAT -p tcp -m comment --comment "dnat name: \"net\" id: \"abc123" -m multiport --dports 80 -j CNI-DN-a
            -A CNI-HOSTPORT-DNAT -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.1.0.9:80
            COMMIT
            """;
        var report = HostPortAnalyzer.Analyze(await Dumps.ParseAsync(dump));

        var port = Assert.Single(report.Ports);
        Assert.Equal("abc123", port.Claims[0].ContainerId);
        Assert.Equal("unknown", port.Claims[1].ContainerId);
        Assert.Null(Assert.IsType<ClaimRule.Iptables>(port.Claims[1].Rule).Entry);
        Assert.Equal("CNI-HOSTPORT-DNAT", port.Claims[1].Chain);
    }

    [Fact]
    public async Task Ipv6_dumps_give_the_same_shape_with_bracketed_destinations()
    {
        var report = HostPortAnalyzer.Analyze(await Dumps.ParseAsync(Dumps.Fixture("after-stop-start.legacy-ipv6.txt")));

        var port443 = report.Ports.Single(p => p.Key.Port == 443);
        Assert.Equal("[fd01::46]:443", port443.Winner.Destination);
        Assert.Equal(9UL, port443.Winner.Packets);
        Assert.Equal(1, port443.Duplicates);
    }

    [Fact]
    public async Task Portmap_conditions_with_a_negated_destination_still_claim_the_port()
    {
        // conditionsV4: ["!", "-d", "192.0.2.0/24"] lands on every entry rule.
        var dump = Dumps.Example("after-stop-start.legacy-ipv4.txt")
            .Replace("-A CNI-HOSTPORT-DNAT -p tcp", "-A CNI-HOSTPORT-DNAT ! -d 192.0.2.0/24 -p tcp", StringComparison.Ordinal);

        var report = HostPortAnalyzer.Analyze(await Dumps.ParseAsync(dump));

        Assert.Equal(2, report.Ports.Count);
        Assert.All(report.Ports, port => Assert.Equal(1, port.Duplicates));
        Assert.All(report.Ports, port => Assert.Equal("any", port.Key.HostIp));
    }

    [Fact]
    public async Task Nested_port_matches_only_let_through_their_intersection()
    {
        const string dump = """
            *nat
            :CNI-DN-x - [0:0]
            :CNI-DN-y - [0:0]
            :CNI-HOSTPORT-DNAT - [0:0]
            -A CNI-DN-x -p tcp -m multiport --dports 80,443 -j CNI-DN-y
            -A CNI-DN-y -p tcp -m tcp --dport 443 -j DNAT --to-destination 10.1.0.7:443
            -A CNI-DN-y -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.1.0.7:80
            -A CNI-HOSTPORT-DNAT -p tcp -m multiport --dports 80 -j CNI-DN-x
            COMMIT
            """;
        var report = HostPortAnalyzer.Analyze(await Dumps.ParseAsync(dump));

        var port = Assert.Single(report.Ports);
        Assert.Equal(80, port.Key.Port);
    }
}
