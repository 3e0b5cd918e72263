using NetfilterExporter.Host;

namespace NetfilterExporter.Conntrack;

/// <summary>What the node's initramfs does with the kernel command line.</summary>
internal static class Initramfs
{
    /// <summary>
    /// dracut (RHEL, Fedora, newer Ubuntu) puts systemd into the initramfs, and systemd-modules-load there loads
    /// <c>rd.modules_load=</c>; the module stays loaded after the switch to the real root. Its systemd module is
    /// installed as a directory; initramfs-tools (Debian, Ubuntu before 25.10) has none and ignores the parameter.
    /// </summary>
    public static bool RunsSystemd(RootFileSystem root) =>
        new[] { "/usr/lib/dracut/modules.d/00systemd", "/lib/dracut/modules.d/00systemd" }
            .Any(path => Directory.Exists(root.Resolve(path).HostPath));
}
