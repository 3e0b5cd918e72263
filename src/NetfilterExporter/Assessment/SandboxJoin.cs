using System.Collections.Concurrent;
using NetfilterExporter.Cri;
using NetfilterExporter.HostPorts;

namespace NetfilterExporter.Assessment;

/// <summary>
/// Host port claims joined with the runtime's sandboxes by the sandbox id in portmap's rule comment. Every consumer
/// (metrics, findings, `check`, the landing page) reads claim states from here, so they can never disagree.
/// </summary>
public sealed class SandboxJoin : IClaimJudge
{
    // A comment cut so short that its id prefix could match many sandboxes is not evidence either way.
    public const int ShortestUsableIdPrefix = 12;

    // The verdict depends on the sandbox id alone, and metrics, findings and `check` ask for it many times per claim;
    // an id the list does not hold costs a prefix scan of every sandbox. Filled by concurrent renderings of one snapshot.
    private readonly ConcurrentDictionary<string, ClaimRuntime> verdicts = new(StringComparer.Ordinal);

    private SandboxJoin(PodSandboxes? sandboxes) => Sandboxes = sandboxes;

    /// <summary>No runtime answered in this snapshot: every claim is <see cref="ClaimState.Unknown"/>.</summary>
    public static SandboxJoin None { get; } = new(null);

    /// <summary>What the runtime listed; null when it was not asked or did not answer.</summary>
    public PodSandboxes? Sandboxes { get; }

    public static SandboxJoin Of(PodSandboxes? sandboxes) => sandboxes is null ? None : new SandboxJoin(sandboxes);

    public ClaimRuntime Of(HostPortClaim claim)
    {
        if (Sandboxes is not { } sandboxes || claim.ContainerId == PortmapComment.Unknown || claim.ContainerId.Length < ShortestUsableIdPrefix)
        {
            return ClaimRuntime.Unknown;
        }
        return verdicts.GetOrAdd(claim.ContainerId, static (id, listed) => Judge(listed, id), sandboxes);
    }

    private static ClaimRuntime Judge(PodSandboxes sandboxes, string sandboxId) =>
        sandboxes.Lookup(sandboxId) switch
        {
            (_, { Ready: true } live) => new ClaimRuntime(ClaimState.Live, live.PodNamespace, live.PodName),
            (SandboxLookup.BeingCreated, _) => ClaimRuntime.Starting,
            // A list that could not be confirmed after the dumps is no evidence that a sandbox is gone.
            _ when !sandboxes.Confirmed => ClaimRuntime.Unknown,
            (_, { } stopped) => new ClaimRuntime(ClaimState.Stale, stopped.PodNamespace, stopped.PodName),
            (SandboxLookup.NotListed, _) => new ClaimRuntime(ClaimState.Stale, null, null),
            _ => ClaimRuntime.Unknown,
        };

    /// <summary>How a claim is named for people: its pod when known, else its sandbox id's short form.</summary>
    public string Describe(HostPortClaim claim) => Of(claim) switch
    {
        { Pod: { } pod } => $"pod {pod} (sandbox {ContainerIds.Short(claim.ContainerId)})",
        { BeingCreated: true } => $"sandbox {ContainerIds.Short(claim.ContainerId)}, being created",
        _ => $"sandbox {ContainerIds.Short(claim.ContainerId)}",
    };
}
