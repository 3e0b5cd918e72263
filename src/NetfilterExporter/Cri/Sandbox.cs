namespace NetfilterExporter.Cri;

/// <summary>One pod sandbox as the container runtime lists it; <see cref="Id"/> is what portmap's rule comment carries.</summary>
/// <param name="PodNamespace">Null, with <paramref name="PodName"/>, when the runtime gave the sandbox no pod metadata.</param>
/// <param name="Ready">SANDBOX_READY: the pod's network namespace and pause process are up. Anything else is a stopped pod.</param>
public sealed record Sandbox(string Id, string? PodNamespace, string? PodName, bool Ready);
