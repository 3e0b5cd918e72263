namespace NetfilterExporter.HostPorts;

public static class ContainerIds
{
    /// <summary>The 12-character prefix that crictl and ctr print, for one-line summaries.</summary>
    public static string Short(string containerId) => containerId.Length > 12 ? containerId[..12] : containerId;
}
