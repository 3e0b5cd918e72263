using NetfilterExporter.Collection;
using Prometheus;

namespace NetfilterExporter.Conntrack;

/// <summary>What one probe found out about nf_conntrack on the node, now and after the next reboot.</summary>
/// <param name="ModuleLoaded">Loaded now, as a module or built in.</param>
/// <param name="ModuleBuiltIn">Built into the running kernel, so present from boot whatever the configuration says.</param>
/// <param name="SysctlPresent"><c>nf_conntrack_max</c> exists: what kube-proxy inside kubelite needs.</param>
/// <param name="BootLoadConfigured">Built in, or listed for loading at boot and not blacklisted.</param>
/// <param name="BootLoadSources">Files listing the module, as paths on the node (e.g. /etc/modules-load.d/nf_conntrack.conf), or "cmdline".</param>
/// <param name="Blacklist">modprobe.d lines that stop the module from loading; empty when there are none.</param>
/// <param name="Entries"><c>nf_conntrack_count</c>, null when the sysctl is absent.</param>
/// <param name="Limit"><c>nf_conntrack_max</c>, null when the sysctl is absent.</param>
public sealed record ConntrackReport(
    bool ModuleLoaded,
    bool ModuleBuiltIn,
    bool SysctlPresent,
    bool BootLoadConfigured,
    IReadOnlyList<string> BootLoadSources,
    IReadOnlyList<BlacklistEntry> Blacklist,
    long? Entries,
    long? Limit) : ICollectorResult
{
    public void WriteMetrics(IMetricFactory metrics, Assessment.SandboxJoin sandboxes) => ConntrackMetrics.Write(this, metrics);
}
