namespace NetfilterExporter.Host;

/// <summary>A path on the node with every symlink followed inside rootfs, and where the exporter reads it.</summary>
/// <param name="NodePath">The path as the node sees it, e.g. /etc/modules.</param>
/// <param name="HostPath">The same file under --path.rootfs, e.g. /host/etc/modules.</param>
internal sealed record ResolvedPath(string NodePath, string HostPath)
{
    /// <summary>systemd and kmod treat a link to /dev/null as masking the same-named file in later directories.</summary>
    public bool IsNullDevice => NodePath == "/dev/null";

    /// <summary>How error messages name the file: as on the node, plus where it was read when that differs.</summary>
    public string Describe() => NodePath == HostPath ? NodePath : $"{NodePath} (read at {HostPath})";
}
