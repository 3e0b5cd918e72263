using NetfilterExporter.Monitoring.Tests.Support;
using Xunit;

namespace NetfilterExporter.Monitoring.Tests.Dashboards;

/// <summary>Every dashboard query, with its variables substituted, goes through Prometheus' parser via promtool.</summary>
public sealed class DashboardQueryValidationTests
{
    [Theory]
    [MemberData(nameof(PartsUnderTest.Sets), MemberType = typeof(PartsUnderTest))]
    public async Task Every_dashboard_query_parses_with_promtool(string set)
    {
        var parts = await PartsUnderTest.UseAsync(set);
        var queries = MonitoringFiles.DashboardFiles().SelectMany(file => DashboardQuery.All(GrafanaDashboard.Load(file))).ToArray();

        var result = await CheckAsync(parts, queries);

        Assert.True(queries.Length > 20, $"only {queries.Length} dashboard queries found");
        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Contains($"SUCCESS: {queries.Length} rules found", result.StandardOutput, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> BrokenQueries()
    {
        (string Expression, string Error)[] broken =
        [
            ("sum(rate(netfilter_hostport_dnat_rule_packets_total{job=~\"$job\"}[$__rate_interval])", "unclosed left parenthesis"),
            ("netfilter_nat_rules{job=~\"$job\",instance=~\"(\"}", "error parsing regexp"),
            ("rate(netfilter_nat_rules{job=~\"$job\"})", "expected type range vector"),
        ];
        var data = new TheoryData<string, string, string>();
        foreach (var set in MonitoringParts.Names)
        {
            foreach (var (expression, error) in broken)
            {
                data.Add(set, expression, error);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(BrokenQueries))]
    public async Task Promtool_rejects_a_broken_query_and_names_it(string set, string brokenExpression, string expectedError)
    {
        var parts = await PartsUnderTest.UseAsync(set);
        DashboardQuery[] queries =
        [
            new("fixture.json", "panel_1_A", "netfilter_nat_rules{job=~\"$job\",instance=~\"$instance\"}"),
            new("fixture.json", "panel_2_A", brokenExpression),
        ];

        var result = await CheckAsync(parts, queries);

        var output = result.StandardOutput + result.StandardError;
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("dashboard:fixture:panel_2_A", output, StringComparison.Ordinal);
        Assert.Contains(expectedError, output, StringComparison.Ordinal);
        Assert.DoesNotContain("dashboard:fixture:panel_1_A", output, StringComparison.Ordinal);
    }

    private static async Task<NetfilterExporter.TestSupport.CommandResult> CheckAsync(MonitoringParts parts, IEnumerable<DashboardQuery> queries)
    {
        using var directory = new TemporaryDirectory("netfilter-dashboard-queries-");
        var file = directory.Combine("queries.yml");
        await File.WriteAllTextAsync(file, DashboardQueryRuleFile.Build(queries, GrafanaVariables.ForValidation));
        return await Promtool.RunAsync(parts, "check", "rules", file);
    }
}
