namespace NetfilterExporter.TestSupport.Cri;

/// <summary>PodSandbox messages as a runtime lists them, for fake runtimes.</summary>
public static class PodSandboxes
{
    public static PodSandbox Ready(string id, string podNamespace, string podName) =>
        Create(id, podNamespace, podName, PodSandboxState.SandboxReady);

    /// <summary>A stopped sandbox the runtime still lists, as after `microk8s stop` or a pod deletion in progress.</summary>
    public static PodSandbox NotReady(string id, string podNamespace, string podName) =>
        Create(id, podNamespace, podName, PodSandboxState.SandboxNotready);

    private static PodSandbox Create(string id, string podNamespace, string podName, PodSandboxState state) => new()
    {
        Id = id,
        Metadata = new PodSandboxMetadata { Name = podName, Namespace = podNamespace, Uid = Guid.NewGuid().ToString(), Attempt = 0 },
        State = state,
        CreatedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000,
    };
}
