using System.Collections.Frozen;

namespace NetfilterExporter.Monitoring.Tests.Dashboards;

/// <summary>
/// Unit ids Grafana knows (packages/grafana-data valueFormats) that fit this exporter's data. A new unit
/// must be a real Grafana id; add it here when a panel needs it.
/// </summary>
public static class GrafanaUnits
{
    public static IReadOnlySet<string> Accepted { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "none", "string", "short", "percent", "percentunit", "bool", "bool_yes_no", "bool_on_off",
        "bytes", "decbytes", "pps", "ops", "reqps", "cps", "Bps", "binBps",
        "ns", "µs", "ms", "s", "m", "h", "d", "dtdurations", "dtdurationms", "dateTimeAsIso", "dateTimeFromNow",
    }.ToFrozenSet(StringComparer.Ordinal);
}
