using NetfilterExporter.Findings;
using NetfilterExporter.MicroK8s;
using NetfilterExporter.TestSupport;

namespace NetfilterExporter.Unit.Tests.MicroK8s;

/// <summary>
/// Each build shape of canonical/microk8s's history, laid out as a node holds it (Fixtures/microk8s), judged by what its
/// own scripts do, never by its version.
/// </summary>
public sealed class MicroK8sProbeTests
{
    public static string Root(string shape) => RepositoryPaths.Combine("tests", "Fixtures", "microk8s", shape, "rootfs");

    [Theory]
    // shape, stop removes containers, flush, kubelite loads nf_conntrack, next stop/start leaves stale rules
    [InlineData("pre-4705", false, HostPortFlush.None, false, false)]
    [InlineData("4705", false, HostPortFlush.None, true, false)]
    [InlineData("classic-4755", true, HostPortFlush.None, true, true)]
    [InlineData("strict-pre-4755", true, HostPortFlush.None, true, true)]
    [InlineData("4963", true, HostPortFlush.AsCaller, true, true)]
    [InlineData("5021", true, HostPortFlush.AsRoot, true, false)]
    [InlineData("today", true, HostPortFlush.AsRoot, true, false)]
    [InlineData("today-nftables", true, HostPortFlush.AsRoot, true, true)]
    public async Task Each_build_is_judged_by_its_own_scripts(string shape, bool removes, HostPortFlush flush, bool kubelite, bool exposed)
    {
        var build = await new MicroK8sProbe(Root(shape)).ReadAsync(CancellationToken.None);

        Assert.Equal(removes, build.StopRemovesContainers);
        Assert.Equal(flush, build.Flush);
        Assert.Equal(kubelite, build.KubeliteModprobesConntrack);
        Assert.Equal(exposed, build.StopLeavesStaleRules);
    }

    [Fact]
    public async Task Version_revision_confinement_and_the_portmap_backend_come_from_the_node()
    {
        var strict = await new MicroK8sProbe(Root("strict-pre-4755")).ReadAsync(CancellationToken.None);
        var nftables = await new MicroK8sProbe(Root("today-nftables")).ReadAsync(CancellationToken.None);

        Assert.Equal(("v1.29.10", "7236", "strict"), (strict.Version, strict.Revision, strict.Confinement));
        Assert.Equal([new PortmapBackend("/var/snap/microk8s/current/args/cni-network/cni.conflist", "iptables")], strict.PortmapBackends);
        Assert.Equal([new PortmapBackend("/var/snap/microk8s/current/args/cni-network/cni.conflist", "nftables")], nftables.PortmapBackends);
        Assert.True(nftables.PortmapWritesNftables);
    }

    [Fact]
    public void A_node_without_microk8s_has_none_installed()
    {
        using var empty = new TemporaryDirectory("nfx-no-microk8s");

        Assert.False(new MicroK8sProbe(empty.Path).Installed());
        Assert.True(new MicroK8sProbe(Root("today")).Installed());
    }

    [Theory]
    [InlineData("1.32", "v1.32.3")]
    [InlineData("1.35", "1.35.0")]
    [InlineData("<your track>", "latest")]
    public void The_upgrade_names_the_track_read_from_the_version(string track, string version) =>
        Assert.Equal(track, MicroK8sUpgrade.Track(version));
}
