using NetfilterExporter.Collection;

namespace NetfilterExporter.Conntrack;

/// <summary>The <c>conntrack</c> collector: one probe of nf_conntrack per collection.</summary>
public sealed class ConntrackCollector(ConntrackProbe probe) : ICollector
{
    public const string CollectorName = "conntrack";

    public string Name => CollectorName;

    public async Task<ICollectorResult> CollectAsync(CancellationToken cancellationToken) => await probe.ProbeAsync(cancellationToken);
}
