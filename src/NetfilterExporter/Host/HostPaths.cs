namespace NetfilterExporter.Host;

/// <summary>
/// Where the node's procfs, sysfs and root filesystem are visible to the exporter (<c>--path.procfs</c>,
/// <c>--path.sysfs</c>, <c>--path.rootfs</c>); a DaemonSet mounts them under e.g. /host. Every read of the
/// node's files goes through these, never through the exporter's own /proc or /.
/// </summary>
public sealed record HostPaths(string ProcFs, string SysFs, string RootFs)
{
    public static HostPaths Default { get; } = new("/proc", "/sys", "/");
}
