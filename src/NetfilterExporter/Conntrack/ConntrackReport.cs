using NetfilterExporter.Collection;

namespace NetfilterExporter.Conntrack;

/// <summary>What one probe found out about nf_conntrack on the node, now and after the next reboot.</summary>
/// <param name="ModuleLoaded">Loaded now, as a module or built in.</param>
/// <param name="ModuleBuiltIn">Built into the running kernel, so present from boot whatever the configuration says.</param>
/// <param name="SysctlPresent"><c>nf_conntrack_max</c> exists: what kube-proxy inside kubelite needs.</param>
/// <param name="BootLoadConfigured">Built in, or listed for loading at the next boot and nothing defeats that listing then.</param>
/// <param name="BootLoadSources">What loads the module at the next boot: files as paths on the node (e.g. /etc/modules-load.d/nf_conntrack.conf), or "cmdline". /run is left out.</param>
/// <param name="Blacklist">modprobe.d lines and command-line parameters that stop the module from loading, now or at the next boot; empty when there are none.</param>
/// <param name="ManualModprobeWorks">Whether <c>modprobe nf_conntrack</c> run now would load it: false while an install-to-false line or <c>module_blacklist=</c> is in effect.</param>
/// <param name="Entries"><c>nf_conntrack_count</c>, null when the sysctl is absent.</param>
/// <param name="Limit"><c>nf_conntrack_max</c>, null when the sysctl is absent.</param>
public sealed record ConntrackReport(
    bool ModuleLoaded,
    bool ModuleBuiltIn,
    bool SysctlPresent,
    bool BootLoadConfigured,
    IReadOnlyList<string> BootLoadSources,
    IReadOnlyList<BlacklistEntry> Blacklist,
    bool ManualModprobeWorks,
    long? Entries,
    long? Limit) : ICollectorResult;
