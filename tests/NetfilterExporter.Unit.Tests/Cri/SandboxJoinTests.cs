using NetfilterExporter.Assessment;
using NetfilterExporter.Cri;
using NetfilterExporter.HostPorts;
using NetfilterExporter.Iptables;

namespace NetfilterExporter.Unit.Tests.Cri;

/// <summary>Claims joined with the runtime's sandboxes by the id in portmap's comment.</summary>
public sealed class SandboxJoinTests
{
    [Fact]
    public async Task Ready_sandbox_is_live_notready_is_stale_with_its_pod_and_an_unlisted_one_is_stale_without()
    {
        var port = await FirstPortAsync();
        var join = SandboxJoin.Of(ExampleSandboxes.AfterStopStart());

        Assert.Equal(new ClaimRuntime(ClaimState.Stale, "ingress", "nginx-ingress-microk8s-controller-4tq8z"), join.Of(port.Claims[0]));
        Assert.Equal(new ClaimRuntime(ClaimState.Live, "ingress", "nginx-ingress-microk8s-controller-9xk2d"), join.Of(port.Claims[1]));

        var afterRestart = SandboxJoin.Of(new PodSandboxes([new Sandbox(ExampleSandboxes.NewIngress, "ingress", "new", true)]));
        Assert.Equal(new ClaimRuntime(ClaimState.Stale, null, null), afterRestart.Of(port.Claims[0]));
        Assert.Equal("stale", afterRestart.Of(port.Claims[0]).StateLabel);
    }

    [Fact]
    public async Task Without_a_runtime_every_claim_is_unknown_never_stale()
    {
        var port = await FirstPortAsync();

        Assert.Equal(2, port.Claims.Count);
        Assert.All(port.Claims, claim => Assert.Equal(ClaimRuntime.Unknown, SandboxJoin.None.Of(claim)));
        Assert.Equal("unknown", SandboxJoin.None.Of(port.Claims[0]).StateLabel);
    }

    [Fact]
    public async Task An_id_cut_by_the_255_character_comment_limit_matches_its_one_sandbox_by_prefix()
    {
        var network = new string('n', 200);
        var cut = ExampleSandboxes.NewIngress[..30];
        var dump = $"*nat\n:PREROUTING ACCEPT [0:0]\n:CNI-DN-1 - [0:0]\n:CNI-HOSTPORT-DNAT - [0:0]\n" +
                   "-A CNI-DN-1 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.1.1.2:80\n" +
                   $"-A CNI-HOSTPORT-DNAT -p tcp -m comment --comment \"dnat name: \\\"{network}\\\" id: \\\"{cut}\" -m multiport --dports 80 -j CNI-DN-1\nCOMMIT\n";
        var claim = HostPortAnalyzer.Analyze(await Dumps.ParseAsync(dump)).Ports.Single().Winner;

        Assert.Equal(cut, claim.ContainerId);
        Assert.Equal(ClaimState.Live, SandboxJoin.Of(ExampleSandboxes.AfterStopStart()).Of(claim).State);
        // Two sandboxes sharing the prefix: no evidence which one the rule was written for, so neither live nor stale.
        var ambiguous = new PodSandboxes([new Sandbox(cut + "aa", "a", "a", true), new Sandbox(cut + "bb", "b", "b", false)]);
        Assert.Equal(ClaimState.Unknown, SandboxJoin.Of(ambiguous).Of(claim).State);
    }

    [Fact]
    public async Task A_dnat_rule_without_portmap_comment_is_unknown_even_with_a_runtime()
    {
        const string dump = "*nat\n:PREROUTING ACCEPT [0:0]\n:CNI-HOSTPORT-DNAT - [0:0]\n" +
                            "-A CNI-HOSTPORT-DNAT -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.1.1.2:80\nCOMMIT\n";
        var claim = HostPortAnalyzer.Analyze(await Dumps.ParseAsync(dump)).Ports.Single().Winner;

        Assert.Equal(ClaimState.Unknown, SandboxJoin.Of(ExampleSandboxes.AfterStopStart()).Of(claim).State);
    }

    private static async Task<HostPortClaims> FirstPortAsync() =>
        HostPortAnalyzer.Analyze(await Dumps.ParseAsync(Dumps.Example("after-stop-start.legacy-ipv4.txt"))).Ports[0];
}
