using NetfilterExporter.Collection;
using NetfilterExporter.Iptables;

namespace NetfilterExporter.HostPorts;

/// <summary>The hostPort view of the nat table of one backend and family.</summary>
public sealed record HostPortObservation(RuleSource Source, HostPortReport Report) : ICollectorResult;
