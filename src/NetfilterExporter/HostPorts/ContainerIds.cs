namespace NetfilterExporter.HostPorts;

public static class ContainerIds
{
    /// <summary>A whole sandbox id as containerd makes it (64 hex digits); a comment cut by portmap carries fewer.</summary>
    public const int FullLength = 64;

    /// <summary>The 12-character prefix that crictl and ctr print, for one-line summaries.</summary>
    public static string Short(string containerId) => containerId.Length > 12 ? containerId[..12] : containerId;
}
