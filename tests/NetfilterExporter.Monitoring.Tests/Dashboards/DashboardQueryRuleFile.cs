using System.Text;

namespace NetfilterExporter.Monitoring.Tests.Dashboards;

/// <summary>
/// Puts dashboard queries, with their Grafana variables replaced, into a Prometheus rule file as recording
/// rules. promtool 2.42 has no query-parsing subcommand, but `promtool check rules` runs every expr through
/// Prometheus' own PromQL parser (regexes included) and names the failing record.
/// </summary>
public static class DashboardQueryRuleFile
{
    public static string Build(IEnumerable<DashboardQuery> queries, IReadOnlyDictionary<string, string> variableValues)
    {
        var text = new StringBuilder("groups:\n  - name: dashboard-queries\n    rules:\n");
        foreach (var query in queries)
        {
            text.Append("      - record: ").Append(query.RecordName).Append('\n');
            text.Append("        expr: |-\n");
            foreach (var line in GrafanaVariables.Expand(query.Expression, variableValues).Split('\n'))
            {
                text.Append("          ").Append(line.TrimEnd('\r')).Append('\n');
            }
        }
        return text.ToString();
    }
}
