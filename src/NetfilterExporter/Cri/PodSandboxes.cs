using NetfilterExporter.Collection;

namespace NetfilterExporter.Cri;

/// <summary>
/// What ListPodSandbox returned, by sandbox id. The list and the nat tables are read in parallel, not atomically, so
/// the collection takes a second list after every dump has finished (the runtime's second look) and merges it with
/// <see cref="ConfirmedBy"/>.
/// </summary>
/// <param name="Confirmed">
/// False when the second list could not be made within the collection's deadline (a save command used it up): then
/// a sandbox not ready in this list is not known to be stale, and its claims are unknown.
/// </param>
/// <param name="beingCreated">
/// Sandbox ids no list holds that the runtime's own stores do (<see cref="ContainerdStores"/>): pods being created,
/// whose rules portmap wrote before CRI lists them.
/// </param>
public sealed class PodSandboxes(IEnumerable<Sandbox> sandboxes, bool Confirmed = true, IReadOnlySet<string>? beingCreated = null) : ICollectorResult
{
    private readonly Dictionary<string, Sandbox> byId = sandboxes.DistinctBy(sandbox => sandbox.Id).ToDictionary(sandbox => sandbox.Id, StringComparer.Ordinal);

    private readonly IReadOnlySet<string> beingCreated = beingCreated ?? new HashSet<string>();

    public IReadOnlyCollection<Sandbox> All => byId.Values;

    public int Ready => byId.Values.Count(sandbox => sandbox.Ready);

    public int NotReady => byId.Count - Ready;

    public bool Confirmed { get; } = Confirmed;

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
            0 when beingCreated.Contains(sandboxId) => (SandboxLookup.BeingCreated, null),
            0 => (SandboxLookup.NotListed, null),
            1 => (SandboxLookup.Listed, byPrefix[0]),
            _ => (SandboxLookup.Ambiguous, null),
        };
    }

    /// <summary>
    /// This first list settled by a second one taken after the dumps. RunPodSandbox returns only after the sandbox is
    /// in the runtime's store, so any sandbox whose rules a dump saw and whose creation had returned by then is in the
    /// second list; one ready in the first list and stopped before the second was live when dumped. So ready in either
    /// list is live: the later list adds what was created meanwhile and cannot take back what was ready while the
    /// rules were dumped.
    /// </summary>
    public PodSandboxes ConfirmedBy(PodSandboxes later)
    {
        var merged = later.byId.ToDictionary(StringComparer.Ordinal);
        foreach (var ready in byId.Values.Where(sandbox => sandbox.Ready))
        {
            merged[ready.Id] = ready;
        }
        return new PodSandboxes([.. merged.Values]);
    }

    /// <summary>This list, with the ids not listed that the runtime's stores hold because it is still creating them.</summary>
    public PodSandboxes WithBeingCreated(IReadOnlySet<string> creating) => new(All, Confirmed, creating);

    /// <summary>The first list alone, when no second one could be made in time: ready stays live, nothing is called stale.</summary>
    public PodSandboxes Unconfirmed() => new(All, Confirmed: false);
}
