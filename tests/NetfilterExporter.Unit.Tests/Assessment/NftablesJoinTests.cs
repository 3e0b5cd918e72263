using NetfilterExporter.Assessment;
using NetfilterExporter.Collection;
using NetfilterExporter.HostPorts;
using NetfilterExporter.Iptables;
using NetfilterExporter.MicroK8s;

namespace NetfilterExporter.Unit.Tests.Assessment;

/// <summary>What only a join with portmap's nftables table can see, and the fixes said in nft's terms.</summary>
public sealed class NftablesJoinTests
{
    private const string Old = "4b42590d177e8116d1fd471bbc720e9491abd9163a1509fd7252af646e803cbf";

    [Fact]
    public async Task A_port_claimed_in_iptables_and_in_nftables_is_a_mixed_portmap_backends_finding()
    {
        var legacy = new HostPortObservation(new RuleSource(IptablesBackend.Legacy, IpFamily.IPv4),
            HostPortAnalyzer.Analyze(await Dumps.ParseAsync(Dumps.Example("healthy.legacy-ipv4.txt"))));
        var nftables = NftablesListings.Observe("v1.9-after-stop-start");

        var findings = NodeJoins.Of([legacy, nftables]).Findings;

        var mixed = Assert.Single(findings);
        Assert.Equal(MixedPortmapBackendFindings.Id, mixed.Id);
        Assert.Contains("both apply to every packet", mixed.Summary, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("tcp/80 in legacy/ipv4: first claim", string.Join('\n', mixed.Details), StringComparison.Ordinal);
        Assert.Contains($"tcp/80 in nftables/ipv4: first claim {Old} -> 10.1.254.70:80", mixed.Details);
        Assert.Equal(["sudo iptables-legacy-save -t nat", "sudo nft -a list table ip cni_hostport"], Assert.Single(mixed.Fixes).Commands);
    }

    [Fact]
    public async Task The_same_port_in_another_family_or_only_in_nftables_is_no_mix()
    {
        var nftables = NftablesListings.Observe("v1.9-after-stop-start");
        var legacyIpv6 = new HostPortObservation(new RuleSource(IptablesBackend.Legacy, IpFamily.IPv6),
            HostPortAnalyzer.Analyze(await Dumps.ParseAsync(Dumps.Fixture("healthy.legacy-ipv6.txt"))));

        Assert.Empty(NodeJoins.Of([nftables]).Findings);
        Assert.NotEmpty(legacyIpv6.Report.Ports);
        Assert.Empty(NodeJoins.Of([legacyIpv6, nftables]).Findings);
    }

    [Fact]
    public void A_microk8s_build_whose_conflists_say_iptables_is_exposed_once_portmaps_nftables_table_is_seen()
    {
        var build = new MicroK8sBuild("v1.35.0", "8720", "classic", StopRemovesContainers: true, HostPortFlush.AsRoot,
            KubeliteModprobesConntrack: true, [new PortmapBackend("/var/snap/microk8s/current/args/cni-network/cni.conflist", "iptables")], InLxcContainer: false);
        Assert.False(build.StopLeavesStaleRules);

        var joined = NodeJoins.Of([build, NftablesListings.Observe("v1.8-healthy")]).MicroK8s!;

        Assert.True(joined.NftablesTableSeen);
        Assert.True(joined.StopLeavesStaleRules);
        var finding = Assert.Single(MicroK8sFindings.Detect(joined, ["tcp/80"]));
        Assert.Contains("portmap writes nftables here (its cni_hostport table is on the node), and MicroK8s' flush touches only the iptables-legacy chain", finding.Details);
        Assert.False(NodeJoins.Of([build, new HostPortObservation(new RuleSource(IptablesBackend.Nftables, IpFamily.IPv4), HostPortReport.Empty)])
            .MicroK8s!.StopLeavesStaleRules);
    }

    [Fact]
    public void The_surgical_fix_deletes_the_dnat_rule_and_the_sandboxs_masquerades_by_handle_each_rechecked()
    {
        var port80 = NftablesListings.Observe("v1.9-after-stop-start").Report.Ports[0];
        var stale = port80.Winner;
        var rule = Assert.IsType<ClaimRule.Nftables>(stale.Rule);
        Assert.Equal(2, rule.MasqueradeHandles.Count);

        var commands = SurgicalDelete.Commands(new RuleSource(IptablesBackend.Nftables, IpFamily.IPv4), [stale]);

        Assert.Equal(3, commands.Count);
        Assert.Equal(
            $"sudo nft -a list chain ip cni_hostport hostports | grep -qF 'comment \"{Old}\" # handle {rule.Handle}' && sudo nft delete rule ip cni_hostport hostports handle {rule.Handle}",
            commands[0]);
        Assert.All(commands.Skip(1), command => Assert.StartsWith("sudo nft -a list chain ip cni_hostport masquerading | grep -qF", command, StringComparison.Ordinal));
        Assert.Equal(rule.MasqueradeHandles.Select(handle => $"handle {handle}"), commands.Skip(1).Select(command => command[(command.LastIndexOf("handle ", StringComparison.Ordinal))..]));
    }
}
