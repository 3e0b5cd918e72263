namespace NetfilterExporter.Cri;

/// <summary>One pod sandbox as the container runtime lists it; <see cref="Id"/> is what portmap's rule comment carries.</summary>
/// <param name="Ready">SANDBOX_READY: the pod's network namespace and pause process are up. Anything else is a stopped pod.</param>
public sealed record Sandbox(string Id, string PodNamespace, string PodName, bool Ready)
{
    /// <summary>"namespace/name", the way kubectl and crictl name a pod.</summary>
    public string PodText => $"{PodNamespace}/{PodName}";
}
