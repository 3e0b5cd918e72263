namespace NetfilterExporter.Findings;

/// <summary>
/// A host port a finding is about, with the label values its alerts carry (backend, family, protocol, host_ip,
/// port), so a script can join `check --output json` with the alerts and metrics.
/// </summary>
public sealed record FindingPort(string Backend, string Family, string Protocol, string HostIp, int Port);
