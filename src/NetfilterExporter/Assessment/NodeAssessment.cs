using NetfilterExporter.Collection;
using NetfilterExporter.Conntrack;
using NetfilterExporter.Cri;
using NetfilterExporter.Findings;
using NetfilterExporter.HostPorts;

namespace NetfilterExporter.Assessment;

/// <summary>
/// The one derived view of a snapshot: the joins across sources, the findings and the health verdict.
/// /metrics, the landing page and `check` all read this, so one snapshot never gets two verdicts.
/// </summary>
public sealed class NodeAssessment
{
    private NodeAssessment(
        NodeSnapshot snapshot, IReadOnlyList<HostPortObservation> hostPorts, SandboxJoin sandboxes, ConntrackReport? conntrack, IReadOnlyList<Finding> findings)
    {
        Snapshot = snapshot;
        HostPorts = hostPorts;
        Sandboxes = sandboxes;
        Conntrack = conntrack;
        Findings = findings;
        FailedCollectors = snapshot.Collectors.Where(outcome => !outcome.Success).ToList();
        Health = findings.Count > 0 ? NodeHealth.FindingsPresent
            : FailedCollectors.Count > 0 || !NetfilterRead ? NodeHealth.CouldNotCollect
            : NodeHealth.Healthy;
    }

    public NodeSnapshot Snapshot { get; }

    public DateTimeOffset CollectedAt => Snapshot.CollectedAt;

    public IReadOnlyList<CollectorOutcome> Collectors => Snapshot.Collectors;

    public IReadOnlyList<CollectorOutcome> FailedCollectors { get; }

    /// <summary>The nat tables that were read, one per backend and family.</summary>
    public IReadOnlyList<HostPortObservation> HostPorts { get; }

    /// <summary>The claims of <see cref="HostPorts"/> joined with the runtime's sandboxes: live, stale or unknown.</summary>
    public SandboxJoin Sandboxes { get; }

    /// <summary>Null when the conntrack collector failed.</summary>
    public ConntrackReport? Conntrack { get; }

    /// <summary>In a stable order: host ports per table, then nf_conntrack, then the joins across tables.</summary>
    public IReadOnlyList<Finding> Findings { get; }

    /// <summary>False when not one nat table could be read: no save command, or every one failed.</summary>
    public bool NetfilterRead => HostPorts.Count > 0;

    public NodeHealth Health { get; }

    /// <summary>One line for people: `check`'s last line and the landing page's verdict.</summary>
    public string Status => Health switch
    {
        NodeHealth.Healthy => "healthy",
        NodeHealth.FindingsPresent => $"{Findings.Count} finding(s)" + (FailedCollectors.Count > 0 ? $"; {FailedCollectors.Count} collector(s) failed" : ""),
        _ => "could not collect: " +
             (FailedCollectors.Count > 0 ? string.Join(", ", FailedCollectors.Select(outcome => outcome.Name)) + " failed" : "no nat table was read") +
             (NetfilterRead ? "" : ", so no host port was checked"),
    };

    public static NodeAssessment Of(NodeSnapshot snapshot)
    {
        var hostPorts = snapshot.Results.OfType<HostPortObservation>().ToList();
        var conntrack = snapshot.Results.OfType<ConntrackReport>().FirstOrDefault();
        var sandboxes = SandboxJoin.Of(snapshot.Results.OfType<PodSandboxes>().FirstOrDefault());
        var findings = hostPorts.SelectMany(observation => HostPortFindings.Detect(observation, sandboxes)).ToList();
        if (conntrack is not null)
        {
            findings.AddRange(ConntrackFindings.Detect(conntrack));
        }
        findings.AddRange(MixedBackendFindings.Detect(hostPorts));
        return new NodeAssessment(snapshot, hostPorts, sandboxes, conntrack, findings);
    }
}
