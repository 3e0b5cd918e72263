using NetfilterExporter.Collection;
using NetfilterExporter.HostPorts;
using Prometheus;

namespace NetfilterExporter.Cri;

/// <summary>
/// What ListPodSandbox returned, by sandbox id. The list and the nat tables are read in parallel, not atomically,
/// so a sandbox created after the list was taken and before a dump would look stale. <see cref="ReconcileAsync"/>
/// closes that gap: when a claim's sandbox is not ready in this list, the runtime is asked again after every dump
/// has finished, and that later list decides. RunPodSandbox returns only after the sandbox is in the runtime's
/// store, so any sandbox whose rules a dump saw and whose creation had returned by then is in the second list.
/// </summary>
public sealed class PodSandboxes(IReadOnlyList<Sandbox> sandboxes, Func<int, CancellationToken, Task<PodSandboxes>>? askAgain) : IReconciledResult
{
    private readonly Dictionary<string, Sandbox> byId = sandboxes.DistinctBy(sandbox => sandbox.Id).ToDictionary(sandbox => sandbox.Id, StringComparer.Ordinal);

    public IReadOnlyList<Sandbox> All { get; } = sandboxes;

    public int Ready => All.Count(sandbox => sandbox.Ready);

    public int NotReady => All.Count - Ready;

    /// <summary>The sandbox a portmap comment names. portmap cuts comments at 255 characters, so a long network name can leave only a prefix of the id.</summary>
    public Sandbox? Find(string sandboxId)
    {
        if (byId.TryGetValue(sandboxId, out var sandbox))
        {
            return sandbox;
        }
        var byPrefix = All.Where(candidate => candidate.Id.StartsWith(sandboxId, StringComparison.Ordinal)).Take(2).ToList();
        return byPrefix.Count == 1 ? byPrefix[0] : null;
    }

    public async Task<ICollectorResult> ReconcileAsync(IReadOnlyList<ICollectorResult> others, CancellationToken cancellationToken)
    {
        if (askAgain is null)
        {
            return this;
        }
        var unconfirmed = others.OfType<HostPortObservation>()
            .SelectMany(observation => observation.Report.Ports)
            .SelectMany(port => port.Claims)
            .Count(claim => claim.ContainerId != PortmapComment.Unknown && Find(claim.ContainerId) is not { Ready: true });
        return unconfirmed == 0 ? this : await askAgain(unconfirmed, cancellationToken);
    }

    public void WriteMetrics(IMetricFactory metrics, Assessment.SandboxJoin sandboxes)
    {
        var gauge = metrics.CreateGauge("netfilter_cri_sandboxes",
            "Pod sandboxes the container runtime lists (CRI ListPodSandbox), by state: ready, or notready (stopped, its pod not running).", ["state"]);
        gauge.WithLabels("ready").Set(Ready);
        gauge.WithLabels("notready").Set(NotReady);
    }
}
