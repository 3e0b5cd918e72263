using NetfilterExporter.Collection;
using NetfilterExporter.Conntrack;
using NetfilterExporter.Cri;
using NetfilterExporter.Findings;
using NetfilterExporter.HostPorts;
using NetfilterExporter.MicroK8s;

namespace NetfilterExporter.Assessment;

/// <summary>
/// The joins across sources of one snapshot, each written once: the host port claims with the runtime's sandboxes,
/// the nat tables of both iptables backends and portmap's nftables tables, and nf_conntrack with the MicroK8s build's kubelite. Sources read them through their own types (<see cref="IClaimJudge"/>),
/// so no source depends on another.
/// </summary>
public sealed class NodeJoins
{
    private NodeJoins(IReadOnlyList<HostPortObservation> hostPorts, SandboxJoin sandboxes, MicroK8sBuild? microK8s, ConntrackReport? conntrack)
    {
        HostPorts = hostPorts;
        Sandboxes = sandboxes;
        // portmap writes nftables when its conflist says so, and also, unasked, when it finds no usable iptables: the
        // table it wrote counts as much as the configuration.
        MicroK8s = microK8s is not null && hostPorts.Any(observation => observation.Source.IsNftables && observation.Report.DnatChainPresent)
            ? microK8s with { NftablesTableSeen = true }
            : microK8s;
        Conntrack = KubeliteConntrackLoad.Apply(conntrack, microK8s);
        Findings = [.. MixedBackendFindings.Detect(hostPorts), .. MixedPortmapBackendFindings.Detect(hostPorts)];
    }

    /// <summary>The nat tables that were read, one per backend and family.</summary>
    public IReadOnlyList<HostPortObservation> HostPorts { get; }

    /// <summary>The claims of <see cref="HostPorts"/> joined with the runtime's sandboxes: live, stale or unknown.</summary>
    public SandboxJoin Sandboxes { get; }

    /// <summary>Whether any host port claim was read.</summary>
    public bool ClaimsExist => HostPorts.Any(observation => observation.Report.Ports.Count > 0);

    /// <summary>Every host port claimed now, once, as people name it (tcp/80).</summary>
    public IReadOnlyList<string> ClaimedPorts =>
        HostPorts.SelectMany(observation => observation.Report.Ports.Select(port => port.Key.Describe())).Distinct().ToList();

    /// <summary>The MicroK8s build, null without MicroK8s or when it could not be read.</summary>
    public MicroK8sBuild? MicroK8s { get; }

    /// <summary>nf_conntrack as the probe saw it, with kubelite's load at start counted as a boot source; null when the probe failed.</summary>
    public ConntrackReport? Conntrack { get; }

    /// <summary>What only a join can see, after every source's own findings.</summary>
    public IReadOnlyList<Finding> Findings { get; }

    public static NodeJoins Of(IReadOnlyList<ICollectorResult> results) =>
        new(results.OfType<HostPortObservation>().ToList(), SandboxJoin.Of(results.OfType<PodSandboxes>().FirstOrDefault()),
            results.OfType<MicroK8sBuild>().FirstOrDefault(), results.OfType<ConntrackReport>().FirstOrDefault());
}
