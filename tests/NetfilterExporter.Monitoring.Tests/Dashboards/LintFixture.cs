using System.Text.Json.Nodes;

namespace NetfilterExporter.Monitoring.Tests.Dashboards;

/// <summary>A minimal dashboard that passes every lint rule, for tests that break one rule at a time.</summary>
public static class LintFixture
{
    private const string Json = """
        {
          "uid": "lint-fixture-dashboard",
          "title": "Lint fixture",
          "editable": false,
          "schemaVersion": 39,
          "tags": ["fixture"],
          "links": [{ "title": "Runbooks", "type": "link", "url": "https://example.invalid/runbooks/README.md" }],
          "templating": { "list": [
            { "name": "datasource", "label": "Data source", "type": "datasource", "query": "prometheus" },
            { "name": "job", "label": "Job", "type": "query", "datasource": { "type": "prometheus", "uid": "${datasource}" },
              "query": "label_values(netfilter_exporter_build_info, job)", "refresh": 2, "multi": true, "includeAll": true, "allValue": ".+" },
            { "name": "instance", "label": "Instance", "type": "query", "datasource": { "type": "prometheus", "uid": "${datasource}" },
              "query": "label_values(netfilter_exporter_build_info{job=~\"$job\"}, instance)", "refresh": 2, "multi": true, "includeAll": true, "allValue": ".+" }
          ] },
          "panels": [
            { "id": 1, "type": "row", "title": "Row", "panels": [] },
            { "id": 2, "type": "timeseries", "title": "Packets", "description": "Packets per second.",
              "datasource": { "type": "prometheus", "uid": "${datasource}" },
              "fieldConfig": { "defaults": { "unit": "pps" }, "overrides": [] },
              "targets": [ { "refId": "A", "datasource": { "type": "prometheus", "uid": "${datasource}" },
                "expr": "sum by (instance) (rate(netfilter_hostport_dnat_rule_packets_total{job=~\"$job\",instance=~\"$instance\"}[$__rate_interval]))" } ] }
          ]
        }
        """;

    public static JsonObject Create() => (JsonObject)JsonNode.Parse(Json)!;

    public static JsonObject Panel(JsonObject dashboard) => (JsonObject)dashboard["panels"]![1]!;

    public static JsonObject Target(JsonObject dashboard) => (JsonObject)Panel(dashboard)["targets"]![0]!;

    public static JsonObject Variable(JsonObject dashboard, int index) => (JsonObject)dashboard["templating"]!["list"]![index]!;

    public static IReadOnlyList<LintProblem> Lint(JsonObject dashboard) =>
        DashboardLinter.Lint(GrafanaDashboard.Parse("fixture.json", dashboard.ToJsonString()));
}
