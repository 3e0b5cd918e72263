namespace NetfilterExporter.TestSupport;

/// <summary>A pod sandbox a <see cref="ContainerdNode"/> ran through CRI, with host ports mapped by the CNI portmap plugin.</summary>
/// <param name="SandboxId">The CRI sandbox id: the id in portmap's rule comments and in ListPodSandbox.</param>
/// <param name="PodNamespace">The Kubernetes namespace given in the sandbox metadata.</param>
/// <param name="PodName">The pod name given in the sandbox metadata.</param>
/// <param name="PodIp">The address host-local gave the pod on the bridge (PodSandboxStatus).</param>
/// <param name="NetworkNamespacePath">The pod's network namespace, a mount under the node's state directory.</param>
/// <param name="Ports">The host port to container port mappings it was created with.</param>
public sealed record HostPortPod(
    string SandboxId,
    string PodNamespace,
    string PodName,
    string PodIp,
    string NetworkNamespacePath,
    IReadOnlyList<(int HostPort, int ContainerPort)> Ports);
