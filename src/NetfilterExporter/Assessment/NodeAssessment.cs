using NetfilterExporter.Collection;
using NetfilterExporter.Findings;
using NetfilterExporter.HostPorts;
using NetfilterExporter.Reporting;

namespace NetfilterExporter.Assessment;

/// <summary>
/// The one derived view of a snapshot: each source's part, the joins across sources, the findings and the health
/// verdict. /metrics, the landing page and `check` all read this, so one snapshot never gets two verdicts.
/// </summary>
public sealed class NodeAssessment
{
    private NodeAssessment(NodeSnapshot snapshot, NodeJoins joins, IReadOnlyList<ISourceReport> parts)
    {
        Snapshot = snapshot;
        Joins = joins;
        HostPorts = joins.HostPorts;
        Parts = parts;
        Findings = [.. parts.SelectMany(part => part.Findings), .. joins.Findings];
        FailedCollectors = snapshot.Collectors.Where(outcome => !outcome.Success).ToList();
        Health = Findings.Count > 0 ? NodeHealth.FindingsPresent
            : FailedCollectors.Count > 0 || !NetfilterRead ? NodeHealth.CouldNotCollect
            : NodeHealth.Healthy;
    }

    public NodeSnapshot Snapshot { get; }

    public DateTimeOffset CollectedAt => Snapshot.CollectedAt;

    public IReadOnlyList<CollectorOutcome> Collectors => Snapshot.Collectors;

    public IReadOnlyList<CollectorOutcome> FailedCollectors { get; }

    /// <summary>The joins the findings were made from (claim states, nf_conntrack with kubelite's load), for whatever acts on them.</summary>
    public NodeJoins Joins { get; }

    /// <summary>The nat tables that were read, one per backend and family.</summary>
    public IReadOnlyList<HostPortObservation> HostPorts { get; }

    /// <summary>Each source's part, in the order of the registration table.</summary>
    public IReadOnlyList<ISourceReport> Parts { get; }

    /// <summary>In a stable order: each source's own (host ports per table, then nf_conntrack), then the joins across tables.</summary>
    public IReadOnlyList<Finding> Findings { get; }

    /// <summary>False when not one nat table could be read: no save command, or every one failed.</summary>
    public bool NetfilterRead => HostPorts.Count > 0;

    /// <summary>
    /// Healthy only because there was nothing to look at: no table read has portmap's CNI-HOSTPORT-DNAT chain (not a
    /// Kubernetes node, the wrong network namespace, or rules in a backend not read). Still exit 0, but never called healthy.
    /// </summary>
    public bool NothingToCheck => Health == NodeHealth.Healthy && HostPorts.All(observation => !observation.Report.DnatChainPresent);

    public const string NothingToCheckText = "no hostPort rules found on this node: nothing to check";

    public NodeHealth Health { get; }

    /// <summary>One line for people: `check`'s last line and the landing page's verdict.</summary>
    public string Status => Health switch
    {
        NodeHealth.Healthy => NothingToCheck ? NothingToCheckText : "healthy",
        NodeHealth.FindingsPresent => $"{Findings.Count} finding(s)" + (FailedCollectors.Count > 0 ? $"; {FailedCollectors.Count} collector(s) failed" : ""),
        _ => "could not collect: " +
             (FailedCollectors.Count > 0 ? string.Join(", ", FailedCollectors.Select(outcome => outcome.Name)) + " failed" : "no nat table was read") +
             (NetfilterRead ? "" : ", so no host port was checked"),
    };

    public static NodeAssessment Of(NodeSnapshot snapshot, IReadOnlyList<SourceReporter> reporters)
    {
        var joins = NodeJoins.Of(snapshot.Results);
        return new NodeAssessment(snapshot, joins, reporters.Select(report => report(snapshot, joins)).ToList());
    }
}
