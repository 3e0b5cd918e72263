namespace NetfilterExporter.HostPorts;

/// <summary>The <c>state</c> label of a host port claim (docs/contract.md §1).</summary>
public enum ClaimState
{
    /// <summary>No runtime could be asked (none found, --cri.endpoint=none, or the cri collector failed), or the rule names no sandbox.</summary>
    Unknown,

    /// <summary>The runtime lists the claim's sandbox as SANDBOX_READY.</summary>
    Live,

    /// <summary>The runtime does not list the sandbox as ready: its pod is gone or stopped, and traffic DNATed to it is lost.</summary>
    Stale,
}
