using NetfilterExporter.Collection;

namespace NetfilterExporter.HostPorts;

/// <summary>
/// Stands in for the iptables collectors when --iptables.backends=auto finds no save command at all (none
/// installed, or none visible in a container). Without it the node would export no iptables_* series, so it
/// would look healthy to Prometheus while nobody reads its host ports; this collector fails every collection,
/// which exports <c>netfilter_scrape_collector_success{collector="iptables"} 0</c> and fires the collector alert.
/// </summary>
public sealed class NoSaveCommandCollector(string searched) : ICollector
{
    public const string CollectorName = "iptables";

    public string Name => CollectorName;

    public string Reads => $"nothing: no iptables save command found ({searched})";

    public Task<ICollectorResult> CollectAsync(CancellationToken cancellationToken) =>
        Task.FromException<ICollectorResult>(new FileNotFoundException(
            $"no iptables save command found ({searched}), so no host port was checked: install iptables (legacy and nft), or set --iptables.save-command.*"));
}
