using NetfilterExporter.Assessment;
using NetfilterExporter.Collection;
using NetfilterExporter.Iptables;
using Prometheus;

namespace NetfilterExporter.HostPorts;

/// <summary>The hostPort view of the nat table of one backend and family.</summary>
public sealed record HostPortObservation(RuleSource Source, HostPortReport Report) : ICollectorResult
{
    public void WriteMetrics(IMetricFactory metrics, SandboxJoin sandboxes) => HostPortMetrics.Write(this, sandboxes, metrics);
}
