using NetfilterExporter.Collection;
using NetfilterExporter.Cri;
using NetfilterExporter.Findings;
using NetfilterExporter.HostPorts;

namespace NetfilterExporter.Assessment;

/// <summary>
/// The joins across sources of one snapshot, each written once: the host port claims with the runtime's sandboxes,
/// and the nat tables of both iptables backends. Sources read them through their own types (<see cref="IClaimJudge"/>),
/// so no source depends on another.
/// </summary>
public sealed class NodeJoins
{
    private NodeJoins(IReadOnlyList<HostPortObservation> hostPorts, SandboxJoin sandboxes)
    {
        HostPorts = hostPorts;
        Sandboxes = sandboxes;
        Findings = MixedBackendFindings.Detect(hostPorts).ToList();
    }

    /// <summary>The nat tables that were read, one per backend and family.</summary>
    public IReadOnlyList<HostPortObservation> HostPorts { get; }

    /// <summary>The claims of <see cref="HostPorts"/> joined with the runtime's sandboxes: live, stale or unknown.</summary>
    public SandboxJoin Sandboxes { get; }

    /// <summary>Whether any host port claim was read.</summary>
    public bool ClaimsExist => HostPorts.Any(observation => observation.Report.Ports.Count > 0);

    /// <summary>What only a join can see, after every source's own findings.</summary>
    public IReadOnlyList<Finding> Findings { get; }

    public static NodeJoins Of(IReadOnlyList<ICollectorResult> results) =>
        new(results.OfType<HostPortObservation>().ToList(), SandboxJoin.Of(results.OfType<PodSandboxes>().FirstOrDefault()));
}
