using NetfilterExporter.Monitoring.Tests.Support;
using Xunit;

namespace NetfilterExporter.Monitoring.Tests.Dashboards;

/// <summary>Every dashboard query, with its variables substituted, goes through Prometheus' parser via promtool.</summary>
public sealed class DashboardQueryValidationTests
{
    [Fact]
    public async Task EveryDashboardQueryParsesWithPromtool()
    {
        var queries = MonitoringFiles.DashboardFiles().SelectMany(file => DashboardQuery.All(GrafanaDashboard.Load(file))).ToArray();

        var result = await CheckAsync(queries);

        Assert.True(queries.Length > 20, $"only {queries.Length} dashboard queries found");
        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Contains($"SUCCESS: {queries.Length} rules found", result.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sum(rate(netfilter_hostport_dnat_rule_packets_total{job=~\"$job\"}[$__rate_interval])", "unclosed left parenthesis")]
    [InlineData("netfilter_nat_rules{job=~\"$job\",instance=~\"(\"}", "error parsing regexp")]
    [InlineData("rate(netfilter_nat_rules{job=~\"$job\"})", "expected type range vector")]
    public async Task PromtoolRejectsABrokenQueryAndNamesIt(string brokenExpression, string expectedError)
    {
        DashboardQuery[] queries =
        [
            new("fixture.json", "panel_1_A", "netfilter_nat_rules{job=~\"$job\",instance=~\"$instance\"}"),
            new("fixture.json", "panel_2_A", brokenExpression),
        ];

        var result = await CheckAsync(queries);

        var output = result.StandardOutput + result.StandardError;
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("dashboard:fixture:panel_2_A", output, StringComparison.Ordinal);
        Assert.Contains(expectedError, output, StringComparison.Ordinal);
        Assert.DoesNotContain("dashboard:fixture:panel_1_A", output, StringComparison.Ordinal);
    }

    private static async Task<NetfilterExporter.TestSupport.CommandResult> CheckAsync(IEnumerable<DashboardQuery> queries)
    {
        using var directory = new TemporaryDirectory("netfilter-dashboard-queries-");
        var file = directory.Combine("queries.yml");
        await File.WriteAllTextAsync(file, DashboardQueryRuleFile.Build(queries, GrafanaVariables.ForValidation));
        return await Promtool.RunAsync("check", "rules", file);
    }
}
