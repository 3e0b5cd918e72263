using NetfilterExporter.Collection;

namespace NetfilterExporter.MicroK8s;

/// <summary>The MicroK8s build under --path.rootfs, as its own files say it behaves.</summary>
/// <param name="Version">snap.yaml's <c>version</c>, e.g. v1.32.2.</param>
/// <param name="Revision">The snap revision /snap/microk8s/current links to, e.g. 7394.</param>
/// <param name="Confinement">snap.yaml's <c>confinement</c>: classic or strict.</param>
/// <param name="StopRemovesContainers">The stop wrapper deletes containers with ctr, behind CRI, so CNI DEL never runs.</param>
/// <param name="Flush">Whether and how that removal flushes the iptables-legacy CNI-HOSTPORT-DNAT chain.</param>
/// <param name="KubeliteModprobesConntrack">kubelite's start wrapper loads nf_conntrack itself (canonical/microk8s#4705).</param>
/// <param name="PortmapBackends">The <c>backend</c> of each portmap plugin in the CNI conflists, by file: iptables unless it says nftables.</param>
/// <param name="InLxcContainer">The node is an LXC container, where modprobe cannot load anything.</param>
public sealed record MicroK8sBuild(
    string Version,
    string Revision,
    string Confinement,
    bool StopRemovesContainers,
    HostPortFlush Flush,
    bool KubeliteModprobesConntrack,
    IReadOnlyList<PortmapBackend> PortmapBackends,
    bool InLxcContainer) : ICollectorResult
{
    /// <summary>Where kubelite's start wrapper is on the node, as boot-load sources name it.</summary>
    public const string KubeliteWrapper = "/snap/microk8s/current/run-kubelite-with-args";

    /// <summary>portmap's nftables table was found on the node (a join with the nftables collectors sets it).</summary>
    public bool NftablesTableSeen { get; init; }

    /// <summary>portmap writes nftables, which MicroK8s' flush (iptables-legacy only) never touches: a conflist says so, or its table is there.</summary>
    public bool PortmapWritesNftables => NftablesTableSeen || PortmapBackends.Any(backend => backend.Backend == "nftables");

    /// <summary>The next <c>microk8s stop</c> / <c>start</c> leaves the running pods' hostPort rules behind to win over the new ones.</summary>
    public bool StopLeavesStaleRules => (StopRemovesContainers && Flush != HostPortFlush.AsRoot) || PortmapWritesNftables;
}

/// <summary>One portmap plugin entry of a CNI conflist.</summary>
public sealed record PortmapBackend(string File, string Backend);
