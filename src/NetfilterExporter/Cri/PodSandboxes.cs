using NetfilterExporter.Collection;
using NetfilterExporter.HostPorts;
using Prometheus;

namespace NetfilterExporter.Cri;

/// <summary>
/// What ListPodSandbox returned, by sandbox id. The list and the nat tables are read in parallel, not atomically,
/// so a sandbox created after the list was taken and before a dump would look stale. <see cref="ReconcileAsync"/>
/// closes that gap: when a claim's sandbox is not ready in this list, the runtime is asked again after every dump
/// has finished, and a claim is stale only when neither list has its sandbox ready. RunPodSandbox returns only after
/// the sandbox is in the runtime's store, so any sandbox whose rules a dump saw and whose creation had returned by
/// then is in the second list; one ready in the first list and stopped before the second was live when dumped.
/// </summary>
/// <param name="Confirmed">
/// False when the second list could not be made within the collection's deadline (a save command used it up): then
/// a sandbox not ready in this list is not known to be stale, and its claims are unknown.
/// </param>
public sealed class PodSandboxes(IEnumerable<Sandbox> sandboxes, Func<int, CancellationToken, Task<PodSandboxes>>? askAgain, bool confirmed = true)
    : IReconciledResult
{
    private readonly Dictionary<string, Sandbox> byId = sandboxes.DistinctBy(sandbox => sandbox.Id).ToDictionary(sandbox => sandbox.Id, StringComparer.Ordinal);

    public IReadOnlyCollection<Sandbox> All => byId.Values;

    public int Ready => byId.Values.Count(sandbox => sandbox.Ready);

    public int NotReady => byId.Count - Ready;

    public bool Confirmed => confirmed;

    /// <summary>The sandbox a portmap comment names. portmap cuts comments at 255 characters, so a long network name can leave only a prefix of the id.</summary>
    public Sandbox? Find(string sandboxId) => Lookup(sandboxId).Sandbox;

    public (SandboxLookup Result, Sandbox? Sandbox) Lookup(string sandboxId)
    {
        if (byId.TryGetValue(sandboxId, out var sandbox))
        {
            return (SandboxLookup.Listed, sandbox);
        }
        var byPrefix = byId.Values.Where(candidate => candidate.Id.StartsWith(sandboxId, StringComparison.Ordinal)).Take(2).ToList();
        return byPrefix.Count switch
        {
            0 => (SandboxLookup.NotListed, null),
            1 => (SandboxLookup.Listed, byPrefix[0]),
            _ => (SandboxLookup.Ambiguous, null),
        };
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
        if (unconfirmed == 0)
        {
            return this;
        }
        PodSandboxes later;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            later = await askAgain(unconfirmed, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The runtime answered; only the confirmation is missing. Ready stays live, nothing is called stale.
            return new PodSandboxes(All, askAgain: null, confirmed: false);
        }
        // Ready in either list is live: the later list adds what was created meanwhile and cannot take back what was
        // ready while the rules were dumped.
        var merged = later.byId.ToDictionary(StringComparer.Ordinal);
        foreach (var ready in byId.Values.Where(sandbox => sandbox.Ready))
        {
            merged[ready.Id] = ready;
        }
        return new PodSandboxes([.. merged.Values], askAgain: null);
    }

    public void WriteMetrics(IMetricFactory metrics, Assessment.SandboxJoin sandboxes)
    {
        var gauge = metrics.CreateGauge("netfilter_cri_sandboxes",
            "Pod sandboxes the container runtime lists (CRI ListPodSandbox), by state: ready, or notready (stopped, its pod not running).", ["state"]);
        gauge.WithLabels("ready").Set(Ready);
        gauge.WithLabels("notready").Set(NotReady);
    }
}
