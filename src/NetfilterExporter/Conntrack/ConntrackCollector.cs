using NetfilterExporter.Collection;

namespace NetfilterExporter.Conntrack;

/// <summary>The <c>conntrack</c> collector: one probe of nf_conntrack per collection.</summary>
public sealed class ConntrackCollector(ConntrackProbe probe) : ICollector
{
    public const string CollectorName = "conntrack";

    public static CollectorRegistration Registration { get; } = new(
        CollectorName,
        true,
        "Read whether nf_conntrack is loaded now and will load at the next boot (--path.procfs, --path.sysfs, --path.rootfs).",
        context => new ConntrackCollector(new ConntrackProbe(context.Options.HostPaths)));

    public string Name => CollectorName;

    public async Task<ICollectorResult> CollectAsync(CancellationToken cancellationToken) => await probe.ProbeAsync(cancellationToken);
}
