using System.Text.Json.Nodes;
using Xunit;

namespace NetfilterExporter.Monitoring.Tests.Dashboards;

/// <summary>The linter itself: the fixture is clean, and each breakage reports exactly the rules it violates.</summary>
public sealed class DashboardLinterTests
{
    [Fact]
    public void Fixture_is_clean()
    {
        Assert.Empty(LintFixture.Lint(LintFixture.Create()));
    }

    [Theory]
    [InlineData("editable", "uneditable-dashboard")]
    [InlineData("short uid", "stable-uid")]
    [InlineData("__inputs", "provisioning-datasource")]
    [InlineData("DS_PROMETHEUS", "provisioning-datasource,panel-datasource-rule")]
    [InlineData("old schema", "schema-version")]
    [InlineData("no runbook link", "runbook-links")]
    [InlineData("datasource variable renamed", "template-datasource-rule")]
    [InlineData("job variable single", "template-job-rule")]
    [InlineData("instance variable missing", "template-instance-rule,target-promql-rule")]
    [InlineData("instance variable not filtered by job", "template-instance-rule")]
    [InlineData("variable refresh on load", "template-on-time-change-reload")]
    [InlineData("variable query not label_values", "template-label-promql-rule")]
    [InlineData("panel fixed datasource", "panel-datasource-rule")]
    [InlineData("target fixed datasource", "panel-datasource-rule")]
    [InlineData("no description", "panel-title-description-rule")]
    [InlineData("unknown unit", "panel-units-rule")]
    [InlineData("no unit", "panel-units-rule")]
    [InlineData("no targets", "panel-no-targets-rule")]
    [InlineData("undefined variable", "target-promql-rule")]
    [InlineData("no job matcher", "target-job-rule")]
    [InlineData("job equality matcher", "target-job-rule")]
    [InlineData("second selector without instance", "target-instance-rule")]
    [InlineData("rate over fixed range", "target-rate-interval-rule")]
    [InlineData("rate over $__interval", "target-rate-interval-rule")]
    [InlineData("raw counter", "target-counter-agg-rule")]
    [InlineData("counter in delta", "target-counter-agg-rule")]
    [InlineData("duplicate panel id", "unique-panel-ids")]
    public void Breaking_one_rule_reports_it(string mutation, string expectedRules)
    {
        var dashboard = LintFixture.Create();
        Break(dashboard, mutation);

        var rules = LintFixture.Lint(dashboard).Select(problem => problem.Rule).Distinct().Order(StringComparer.Ordinal);

        Assert.Equal(expectedRules.Split(',').Order(StringComparer.Ordinal), rules);
    }

    private static void Break(JsonObject dashboard, string mutation)
    {
        const string Matchers = "job=~\"$job\",instance=~\"$instance\"";
        var panel = LintFixture.Panel(dashboard);
        var target = LintFixture.Target(dashboard);
        void Expr(string expression) => target["expr"] = expression.Replace("MATCHERS", Matchers, StringComparison.Ordinal);
        switch (mutation)
        {
            case "editable": dashboard["editable"] = true; break;
            case "short uid": dashboard["uid"] = "abc"; break;
            case "__inputs": dashboard["__inputs"] = new JsonArray(); break;
            case "DS_PROMETHEUS": panel["datasource"] = new JsonObject { ["type"] = "prometheus", ["uid"] = "${DS_PROMETHEUS}" }; break;
            case "old schema": dashboard["schemaVersion"] = 16; break;
            case "no runbook link": dashboard["links"] = new JsonArray(); break;
            case "datasource variable renamed": LintFixture.Variable(dashboard, 0)["name"] = "ds"; break;
            case "job variable single": LintFixture.Variable(dashboard, 1)["multi"] = false; break;
            case "instance variable missing": ((JsonArray)dashboard["templating"]!["list"]!).RemoveAt(2); break;
            case "instance variable not filtered by job": LintFixture.Variable(dashboard, 2)["query"] = "label_values(netfilter_exporter_build_info, instance)"; break;
            case "variable refresh on load": LintFixture.Variable(dashboard, 1)["refresh"] = 1; break;
            case "variable query not label_values": LintFixture.Variable(dashboard, 1)["query"] = "netfilter_exporter_build_info"; break;
            case "panel fixed datasource": panel["datasource"] = new JsonObject { ["type"] = "prometheus", ["uid"] = "prometheus-prod" }; break;
            case "target fixed datasource": target["datasource"] = "Prometheus"; break;
            case "no description": panel.Remove("description"); break;
            case "unknown unit": panel["fieldConfig"]!["defaults"]!["unit"] = "furlongs"; break;
            case "no unit": ((JsonObject)panel["fieldConfig"]!["defaults"]!).Remove("unit"); break;
            case "no targets": panel["targets"] = new JsonArray(); break;
            case "undefined variable": Expr("sum by (instance) (rate(netfilter_hostport_dnat_rule_packets_total{MATCHERS,node=~\"$node\"}[$__rate_interval]))"); break;
            case "no job matcher": Expr("sum(rate(netfilter_hostport_dnat_rule_packets_total{instance=~\"$instance\"}[$__rate_interval]))"); break;
            case "job equality matcher": Expr("sum(rate(netfilter_hostport_dnat_rule_packets_total{job=\"netfilter-exporter\",instance=~\"$instance\"}[$__rate_interval]))"); break;
            case "second selector without instance": Expr("sum(rate(netfilter_hostport_dnat_rule_packets_total{MATCHERS}[$__rate_interval])) / on () group_left sum(netfilter_hostport_dnat_rules{job=~\"$job\"})"); break;
            case "rate over fixed range": Expr("sum by (instance) (rate(netfilter_hostport_dnat_rule_packets_total{MATCHERS}[5m]))"); break;
            case "rate over $__interval": Expr("sum by (instance) (rate(netfilter_hostport_dnat_rule_packets_total{MATCHERS}[$__interval]))"); break;
            case "raw counter": Expr("sum by (instance) (netfilter_hostport_dnat_rule_packets_total{MATCHERS})"); break;
            case "counter in delta": Expr("sum by (instance) (delta(netfilter_hostport_dnat_rule_packets_total{MATCHERS}[$__rate_interval]))"); break;
            case "duplicate panel id": panel["id"] = 1; break;
            default: throw new ArgumentException($"unknown mutation {mutation}", nameof(mutation));
        }
    }
}
