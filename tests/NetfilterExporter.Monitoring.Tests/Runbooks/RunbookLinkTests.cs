using NetfilterExporter.Monitoring.Tests.Alerts;
using NetfilterExporter.Monitoring.Tests.Dashboards;
using NetfilterExporter.Monitoring.Tests.Support;
using Xunit;

namespace NetfilterExporter.Monitoring.Tests.Runbooks;

/// <summary>
/// The runbook base URL is written out in every link (rule files and dashboards have no shared variables),
/// so these tests keep all links on one base, each pointing at a runbook file that exists.
/// </summary>
public sealed class RunbookLinkTests
{
    [Fact]
    public void Every_alert_links_to_its_own_runbook_under_one_base()
    {
        var rules = AlertRuleFile.LoadRepositoryRules();
        var runbookBase = RunbookBase();

        Assert.Matches("^https?://[^ ]+/$", runbookBase);
        Assert.NotEmpty(rules);
        Assert.All(rules, rule =>
        {
            Assert.Equal(runbookBase + rule.Name + ".md", rule.Annotations["runbook_url"]);
            Assert.True(File.Exists(Path.Combine(MonitoringFiles.RunbooksDirectory, rule.Name + ".md")), $"{rule.Location}: docs/runbooks/{rule.Name}.md is missing");
        });
    }

    [Fact]
    public void Promtool_expectations_use_the_same_runbook_links()
    {
        var runbookBase = RunbookBase();
        var expected = AlertTestFile.LoadRepositoryTests()
            .SelectMany(expectation => expectation.ExpectedAlerts.Select(alert => (expectation, alert)))
            .ToArray();

        Assert.NotEmpty(expected);
        Assert.All(expected, pair => Assert.Equal(runbookBase + pair.expectation.AlertName + ".md", pair.alert.Annotations["runbook_url"]));
    }

    [Fact]
    public void Dashboard_runbook_links_point_at_existing_runbooks_under_the_same_base()
    {
        var runbookBase = RunbookBase();
        var links = MonitoringFiles.DashboardFiles()
            .Select(GrafanaDashboard.Load)
            .SelectMany(dashboard => dashboard.Links.Concat(dashboard.Panels.SelectMany(panel => panel.Links)))
            .Where(link => link.Title.StartsWith("Runbook", StringComparison.Ordinal))
            .ToArray();

        Assert.NotEmpty(links);
        Assert.All(links, link =>
        {
            Assert.StartsWith(runbookBase, link.Url, StringComparison.Ordinal);
            var file = link.Url[runbookBase.Length..];
            Assert.True(File.Exists(Path.Combine(MonitoringFiles.RunbooksDirectory, file)), $"dashboard link '{link.Title}' points at missing docs/runbooks/{file}");
        });
    }

    /// <summary>The base is whatever the first rule's link uses; every other link must agree with it.</summary>
    private static string RunbookBase()
    {
        var first = AlertRuleFile.LoadRepositoryRules()[0];
        var url = first.Annotations["runbook_url"];
        var suffix = first.Name + ".md";
        Assert.EndsWith(suffix, url, StringComparison.Ordinal);
        return url[..^suffix.Length];
    }
}
