using NetfilterExporter.Monitoring.Tests.PromQl;
using NetfilterExporter.Monitoring.Tests.Support;
using Xunit;

namespace NetfilterExporter.Monitoring.Tests.Dashboards;

public sealed class DashboardLintTests
{
    public static TheoryData<string> DashboardFiles() => new(MonitoringFiles.DashboardFiles().Select(Path.GetFileName).OfType<string>());

    [Theory]
    [MemberData(nameof(DashboardFiles))]
    public void Dashboard_passes_the_dashboard_linter_rules(string file)
    {
        var dashboard = GrafanaDashboard.Load(Path.Combine(MonitoringFiles.DashboardsDirectory, file));

        var problems = DashboardLinter.Lint(dashboard);

        Assert.NotEmpty(dashboard.Panels.SelectMany(panel => panel.Targets));
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void Dashboard_uids_are_unique()
    {
        var uids = MonitoringFiles.DashboardFiles().Select(file => GrafanaDashboard.Load(file).Uid).ToArray();

        Assert.True(uids.Length >= 2, "expected the fleet and the node dashboard");
        Assert.Equal(uids.Length, uids.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("Nodes with black-holed host ports")]
    [InlineData("Nodes with duplicate host-port claims")]
    [InlineData("Nodes without nf_conntrack")]
    [InlineData("Nodes that lose nf_conntrack at reboot")]
    [InlineData("Collector health")]
    [InlineData("Host-port claims")]
    [InlineData("Black-holed host ports")]
    [InlineData("Host ports black-holed")]
    [InlineData("Stale host-port claims")]
    [InlineData("Container runtime sandboxes")]
    [InlineData("DNAT claims per host port")]
    [InlineData("Conntrack table usage")]
    [InlineData("Collector success")]
    [InlineData("Scrape target up")]
    public void Dashboards_have_the_panels_the_issue_asks_for(string title)
    {
        var titles = MonitoringFiles.DashboardFiles().SelectMany(file => GrafanaDashboard.Load(file).Panels).Select(panel => panel.Title);

        Assert.Contains(title, titles);
    }

    [Theory]
    [InlineData("netfilter_hostport_dnat_rules")]
    [InlineData("netfilter_hostport_dnat_duplicates")]
    [InlineData("netfilter_hostport_dnat_rule_info")]
    [InlineData("netfilter_hostport_dnat_rule_packets_total")]
    [InlineData("netfilter_hostport_stale_claims")]
    [InlineData("netfilter_hostport_winner_stale")]
    [InlineData("netfilter_cri_sandboxes")]
    [InlineData("netfilter_hostport_chain_rules")]
    [InlineData("netfilter_hostport_orphan_chains")]
    [InlineData("netfilter_nat_rules")]
    [InlineData("netfilter_conntrack_module_loaded")]
    [InlineData("netfilter_conntrack_module_builtin")]
    [InlineData("netfilter_conntrack_sysctl_present")]
    [InlineData("netfilter_conntrack_boot_load_configured")]
    [InlineData("netfilter_conntrack_boot_load_info")]
    [InlineData("netfilter_conntrack_blacklisted")]
    [InlineData("netfilter_conntrack_entries")]
    [InlineData("netfilter_conntrack_entries_limit")]
    [InlineData("netfilter_scrape_collector_success")]
    [InlineData("netfilter_scrape_collector_duration_seconds")]
    [InlineData("netfilter_exporter_build_info")]
    public void Every_contract_metric_is_shown_on_a_dashboard(string metric)
    {
        var used = MonitoringFiles.DashboardFiles()
            .SelectMany(file => DashboardQuery.All(GrafanaDashboard.Load(file)))
            .SelectMany(query => PromQlSelectorScanner.Scan(query.Expression))
            .Select(selector => selector.MetricName);

        Assert.Contains(metric, used);
    }
}
