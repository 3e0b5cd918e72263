using NetfilterExporter.HostPorts;
using NetfilterExporter.Iptables;
using NetfilterExporter.Nftables;

namespace NetfilterExporter.Unit.Tests.HostPorts;

/// <summary>Claims in portmap's nftables table, in the order the kernel evaluates them.</summary>
public sealed class PortmapNftAnalyzerTests
{
    private const string Old = "4b42590d177e8116d1fd471bbc720e9491abd9163a1509fd7252af646e803cbf";
    private const string New = "d6437fe2be059268620ea6ecf9cbaa70fbce445e1a5358c974ceda661f4fda92";

    [Fact]
    public void After_stop_start_the_old_pods_rule_comes_first_and_wins()
    {
        var report = NftablesListings.Observe("v1.9-after-stop-start").Report;

        Assert.Equal(["tcp/80", "tcp/443", "udp/53 on 192.0.2.10"], report.Ports.Select(port => port.Key.Describe()));
        var port80 = report.Ports[0];
        Assert.Equal(1, port80.Duplicates);
        Assert.Equal([Old, New], port80.Claims.Select(claim => claim.ContainerId));
        Assert.Equal(["10.1.254.70:80", "10.1.254.72:80"], port80.Claims.Select(claim => claim.Destination));
        Assert.All(port80.Claims, claim => Assert.Null(claim.Packets));
        Assert.Equal(2, port80.Claims.Count);
        var winner = Assert.IsType<ClaimRule.Nftables>(port80.Winner.Rule);
        Assert.Equal("hostports", winner.Chain);
        Assert.Equal(2, winner.MasqueradeHandles.Count);
        Assert.True(report.DnatChainPresent);
        Assert.Equal(5, report.ChainRules["hostports"]);
        Assert.Equal(0, report.ChainRules["hostip_hostports"]);
        Assert.Equal(4, report.ChainRules["masquerading"]);
        Assert.Empty(report.OrphanChains);
        Assert.Equal(13, report.NatRules);
    }

    [Fact]
    public void Ipv6_destinations_are_bracketed_like_iptables_writes_them()
    {
        var report = NftablesListings.Observe("v1.9-after-stop-start.ipv6", IpFamily.IPv6).Report;

        var port80 = Assert.Single(report.Ports);
        Assert.Equal(["[fd00:10:1::46]:80", "[fd00:10:1::48]:80"], port80.Claims.Select(claim => claim.Destination));
    }

    [Fact]
    public void The_pre_1_9_layout_with_a_host_ip_chain_is_healthy_with_one_claim_per_port()
    {
        var report = NftablesListings.Observe("v1.8-healthy").Report;

        // Ordered as the other reports: protocol, host IP ("any" first), port.
        Assert.Equal(["tcp/8443 on 192.0.2.10", "tcp/80"], report.Ports.Select(port => port.Key.Describe()));
        Assert.All(report.Ports, port => Assert.Equal(0, port.Duplicates));
        Assert.Equal(2, report.Ports.Count);
        Assert.Equal("hostip_hostports", report.Ports[0].Winner.Chain);
    }

    [Fact]
    public void The_hooks_jump_order_decides_the_winner_not_the_chain_names()
    {
        var report = NftablesListings.Observe("hostports-first").Report;

        var port = Assert.Single(report.Ports);
        Assert.Equal(["hostports", "hostip_hostports"], port.Claims.Select(claim => claim.Chain));
        Assert.Equal(New, port.Winner.ContainerId);
    }

    [Theory]
    [InlineData("[{\"match\": {\"op\": \"==\", \"left\": {\"payload\": {\"protocol\": \"tcp\", \"field\": \"dport\"}}, \"right\": {\"set\": [80, 443]}}}, {\"dnat\": {\"addr\": \"10.1.0.5\"}}]", "\"c\"",
        "rule handle 4 in chain hostports: dport {\"set\": [80, 443]} is not one port, a rule portmap does not write")]
    [InlineData("[{\"match\": {\"op\": \"==\", \"left\": {\"payload\": {\"protocol\": \"tcp\", \"field\": \"dport\"}}, \"right\": 80}}, {\"dnat\": {\"addr\": \"10.1.0.5\", \"port\": 80}}]", "null",
        "rule handle 4 in chain hostports: no comment (portmap writes the sandbox id there), a rule portmap does not write")]
    [InlineData("[{\"match\": {\"op\": \"!=\", \"left\": {\"payload\": {\"protocol\": \"tcp\", \"field\": \"dport\"}}, \"right\": 80}}, {\"dnat\": {\"addr\": \"10.1.0.5\", \"port\": 80}}]", "\"c\"",
        "rule handle 4 in chain hostports: the match tcp dport != 80, a rule portmap does not write")]
    [InlineData("[{\"match\": {\"op\": \"==\", \"left\": {\"payload\": {\"protocol\": \"tcp\", \"field\": \"dport\"}}, \"right\": 80}}, {\"redirect\": {\"port\": 8080}}]", "\"c\"",
        "rule handle 4 in chain hostports: a redirect statement, a rule portmap does not write")]
    [InlineData("[{\"match\": {\"op\": \"==\", \"left\": {\"payload\": {\"protocol\": \"tcp\", \"field\": \"dport\"}}, \"right\": 80}}]", "\"c\"",
        "rule handle 4 in chain hostports: no dnat to a pod for one port, a rule portmap does not write")]
    public void A_rule_shape_portmap_never_writes_is_an_error_naming_handle_and_chain(string expressions, string comment, string expected)
    {
        var json = "{\"nftables\": [{\"table\": {\"family\": \"ip\", \"name\": \"cni_hostport\", \"handle\": 1}}, " +
                   "{\"chain\": {\"family\": \"ip\", \"table\": \"cni_hostport\", \"name\": \"hostports\", \"handle\": 1}}, " +
                   "{\"chain\": {\"family\": \"ip\", \"table\": \"cni_hostport\", \"name\": \"prerouting\", \"handle\": 2, \"hook\": \"prerouting\"}}, " +
                   $"{{\"rule\": {{\"family\": \"ip\", \"table\": \"cni_hostport\", \"chain\": \"hostports\", \"handle\": 4, \"comment\": {comment}, \"expr\": {expressions}}}}}, " +
                   "{\"rule\": {\"family\": \"ip\", \"table\": \"cni_hostport\", \"chain\": \"prerouting\", \"handle\": 5, \"expr\": [{\"jump\": {\"target\": \"hostports\"}}]}}]}";
        var table = NftablesListings.ParseText(json);

        var error = Assert.Throws<NftablesFormatException>(() => PortmapNftAnalyzer.Analyze(table, NftablesListings.Origin));

        Assert.Equal($"{NftablesListings.Origin}: $.nftables[3]: {expected}", error.Message);
    }

    [Fact]
    public void A_claim_chain_no_hook_reaches_claims_nothing()
    {
        var json = "{\"nftables\": [{\"table\": {\"family\": \"ip\", \"name\": \"cni_hostport\", \"handle\": 1}}, " +
                   "{\"chain\": {\"family\": \"ip\", \"table\": \"cni_hostport\", \"name\": \"hostports\", \"handle\": 1}}, " +
                   "{\"rule\": {\"family\": \"ip\", \"table\": \"cni_hostport\", \"chain\": \"hostports\", \"handle\": 4, \"comment\": \"c\", \"expr\": " +
                   "[{\"match\": {\"op\": \"==\", \"left\": {\"payload\": {\"protocol\": \"tcp\", \"field\": \"dport\"}}, \"right\": 80}}, {\"dnat\": {\"addr\": \"10.1.0.5\", \"port\": 80}}]}}]}";

        var report = PortmapNftAnalyzer.Analyze(NftablesListings.ParseText(json), NftablesListings.Origin);

        Assert.Empty(report.Ports);
        Assert.True(report.DnatChainPresent);
        Assert.Equal(1, report.ChainRules["hostports"]);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_deep_table_with_many_jumps_to_each_chain_is_walked_in_linear_time()
    {
        // nft accepts this (no loop): 20 levels, every chain jumped to by 8 rules of the one above. Walking each chain
        // again for every jump took 8^16 steps with the old depth limit of 16: a collection that never ended.
        const int Levels = 20;
        List<NftChain> chains = [new("prerouting", 1, "prerouting"), new("hostports", 2, null), .. Enumerable.Range(0, Levels).Select(level => new NftChain($"c{level}", 10 + level, null))];
        var handle = 100L;
        List<NftRule> rules = [new("prerouting", handle++, null, [new NftStatement.Jump("c0", false)], "$.nftables[0]")];
        for (var level = 0; level < Levels; level++)
        {
            var target = level + 1 < Levels ? $"c{level + 1}" : "hostports";
            rules.AddRange(Enumerable.Range(0, 8).Select(_ => new NftRule($"c{level}", handle++, null, [new NftStatement.Jump(target, false)], "$.nftables[0]")));
        }
        rules.Add(new NftRule("hostports", handle, New, [new NftStatement.Match("tcp dport", "==", "80"), new NftStatement.Dnat("10.1.0.5", 80)], "$.nftables[0]"));
        var table = new NftTable(IpFamily.IPv4, "cni_hostport", chains, rules, null);

        var report = await Task.Run(() => PortmapNftAnalyzer.Analyze(table, NftablesListings.Origin), TestContext.Current.CancellationToken);

        var claim = Assert.Single(Assert.Single(report.Ports).Claims);
        Assert.Equal((New, "10.1.0.5:80"), (claim.ContainerId, claim.Destination));
    }
}
