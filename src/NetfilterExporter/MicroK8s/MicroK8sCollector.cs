using NetfilterExporter.Collection;

namespace NetfilterExporter.MicroK8s;

/// <summary>The <c>microk8s</c> collector: the MicroK8s build under --path.rootfs, skipped silently on a node without one.</summary>
public sealed class MicroK8sCollector(MicroK8sProbe probe) : ICollector
{
    public const string CollectorName = "microk8s";

    public static CollectorRegistration Registration { get; } = new(
        CollectorName,
        true,
        "Read the MicroK8s build under --path.rootfs (/snap/microk8s/current): whether its next stop/start leaves stale hostPort rules, and whether kubelite loads nf_conntrack.",
        context => new MicroK8sProbe(context.Options.HostPaths.RootFs) is var probe && (probe.Installed() || context.IsExplicit(CollectorName))
            ? new MicroK8sCollector(probe)
            : null);

    public string Name => CollectorName;

    public string Reads => probe.SnapDirectory;

    public async Task<ICollectorResult> CollectAsync(CancellationToken cancellationToken) => await probe.ReadAsync(cancellationToken);
}
