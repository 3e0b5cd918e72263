namespace NetfilterExporter.HostPorts;

/// <summary>A claim as the container runtime sees it: its state, and its pod when the runtime still lists the sandbox.</summary>
/// <param name="BeingCreated">Unknown because the runtime is still creating the sandbox (its stores hold it, CRI does not list it yet).</param>
public sealed record ClaimRuntime(ClaimState State, string? PodNamespace, string? PodName, bool BeingCreated = false)
{
    public static ClaimRuntime Unknown { get; } = new(ClaimState.Unknown, null, null);

    public static ClaimRuntime Starting { get; } = new(ClaimState.Unknown, null, null, BeingCreated: true);

    public string StateLabel => State switch
    {
        ClaimState.Live => "live",
        ClaimState.Stale => "stale",
        _ => "unknown",
    };

    /// <summary>"namespace/name", or null when the runtime does not list the sandbox.</summary>
    public string? Pod => PodName is null ? null : $"{PodNamespace}/{PodName}";
}
