using NetfilterExporter.Collection;
using NetfilterExporter.Host;

namespace NetfilterExporter.Conntrack;

/// <summary>The <c>conntrack</c> collector: one probe of nf_conntrack per collection.</summary>
public sealed class ConntrackCollector(HostPaths paths) : ICollector
{
    public const string CollectorName = "conntrack";

    public static CollectorRegistration Registration { get; } = new(
        CollectorName,
        true,
        "Read whether nf_conntrack is loaded now and will load at the next boot (--path.procfs, --path.sysfs, --path.rootfs).",
        context => new ConntrackCollector(context.Options.HostPaths));

    public string Name => CollectorName;

    public string Reads => $"procfs {paths.ProcFs}, sysfs {paths.SysFs}, rootfs {paths.RootFs}";

    public async Task<ICollectorResult> CollectAsync(CancellationToken cancellationToken) => await new ConntrackProbe(paths).ProbeAsync(cancellationToken);
}
