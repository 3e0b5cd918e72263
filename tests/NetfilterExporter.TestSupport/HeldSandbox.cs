using NetfilterExporter.TestSupport.Cri;

namespace NetfilterExporter.TestSupport;

/// <summary>
/// A pod sandbox whose creation a <see cref="ContainerdNode"/> holds in its <see cref="CniHoldPlugin"/>
/// (<see cref="ContainerdNode.StartHeldHostPortPodAsync"/>): portmap has written its host port rules, RunPodSandbox has
/// not returned, and the runtime does not list the sandbox, as for every pod while it is being started.
/// </summary>
public sealed class HeldSandbox
{
    private readonly ContainerdNode node;

    internal HeldSandbox(
        ContainerdNode node, string podNamespace, string podName, IReadOnlyList<(int HostPort, int ContainerPort)> ports, string marker, Task<RunPodSandboxResponse> running)
    {
        this.node = node;
        PodNamespace = podNamespace;
        PodName = podName;
        Ports = ports;
        Marker = marker;
        Running = running;
    }

    public string PodNamespace { get; }

    public string PodName { get; }

    public IReadOnlyList<(int HostPort, int ContainerPort)> Ports { get; }

    /// <summary>The sandbox id containerd gave the CNI plugins (CNI_CONTAINERID): the id in portmap's rule comments.</summary>
    public string SandboxId { get; internal set; } = "";

    /// <summary>The hold plugin's marker: the creation waits while it exists.</summary>
    internal string Marker { get; }

    /// <summary>The RunPodSandbox call, running in the background while the creation is held.</summary>
    internal Task<RunPodSandboxResponse> Running { get; }

    /// <summary>Lets the creation finish; returns the ready pod, whose workload then answers on its container ports.</summary>
    public Task<HostPortPod> ReleaseAsync(CancellationToken cancellationToken) => node.ReleaseAsync(this, cancellationToken);
}
