using NetfilterExporter.HostPorts;
using NetfilterExporter.Iptables;

namespace NetfilterExporter.Collection;

public sealed record IptablesObservation(RuleSource Source, HostPortReport Report);
