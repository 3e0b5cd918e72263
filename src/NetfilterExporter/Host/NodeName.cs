namespace NetfilterExporter.Host;

/// <summary>
/// The name `check`, the landing page and the start-up log give the node: --node.name when set (the DaemonSet passes
/// spec.nodeName), else the host's /etc/hostname under --path.rootfs (a container's own name is the pod's), else the
/// kernel's.
/// </summary>
public static class NodeName
{
    public static string Resolve(string? configured, string rootFs)
    {
        if (configured is { Length: > 0 })
        {
            return configured;
        }
        try
        {
            var file = new RootFileSystem(rootFs).Resolve("/etc/hostname");
            if (File.Exists(file.HostPath) && new FileInfo(file.HostPath).Length < 4096
                && File.ReadLines(file.HostPath).Select(line => line.Trim()).FirstOrDefault(line => line.Length > 0 && !line.StartsWith('#')) is { } name)
            {
                return name;
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // An unreadable hostname file is no reason to stop: the kernel's name is the next best.
        }
        return Environment.MachineName;
    }
}
