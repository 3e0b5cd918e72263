using NetfilterExporter.Conntrack;
using NetfilterExporter.Findings;

namespace NetfilterExporter.Check;

/// <summary>What `check --output json` prints: stable field names for scripts.</summary>
public sealed record CheckReport(
    string Status,
    int ExitCode,
    IReadOnlyList<CheckCollector> Collectors,
    IReadOnlyList<CheckHostPort> HostPorts,
    ConntrackReport? Conntrack,
    IReadOnlyList<Finding> Findings);
