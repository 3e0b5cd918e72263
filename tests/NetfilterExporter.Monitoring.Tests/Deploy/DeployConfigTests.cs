using NetfilterExporter.Monitoring.Tests.Alerts;
using NetfilterExporter.Monitoring.Tests.Support;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace NetfilterExporter.Monitoring.Tests.Deploy;

/// <summary>The example Prometheus and Alertmanager configurations stay valid and route as documented.</summary>
public sealed class DeployConfigTests
{
    [Theory]
    [MemberData(nameof(PartsUnderTest.Sets), MemberType = typeof(PartsUnderTest))]
    public async Task Promtool_accepts_the_Prometheus_example_and_its_rule_file(string set)
    {
        var parts = await PartsUnderTest.UseAsync(set);
        var ruleCount = AlertRuleFile.LoadRepositoryRules().Count;

        var result = await Promtool.RunAsync(parts, "check", "config", MonitoringFiles.PrometheusConfig);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Contains("netfilter-exporter.rules.yml", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"SUCCESS: {ruleCount} rules found", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Prometheus_example_scrapes_the_job_the_rules_select_and_loads_the_repository_rules()
    {
        var file = YamlFile.Load(MonitoringFiles.PrometheusConfig);
        var directory = Path.GetDirectoryName(MonitoringFiles.PrometheusConfig)!;

        var jobs = file.Sequence(file.Root, "scrape_configs").Select(job => file.Scalar((YamlMappingNode)job, "job_name"));
        var ruleFiles = file.Sequence(file.Root, "rule_files").Select(node => Path.GetFullPath(Path.Combine(directory, ((YamlScalarNode)node).Value!)));

        Assert.Contains("netfilter-exporter", jobs);
        Assert.Equal([Path.GetFullPath(MonitoringFiles.RulesFile)], ruleFiles);
    }

    [Theory]
    [MemberData(nameof(PartsUnderTest.Sets), MemberType = typeof(PartsUnderTest))]
    public async Task Amtool_accepts_the_Alertmanager_example(string set)
    {
        var parts = await PartsUnderTest.UseAsync(set);
        var result = await Amtool.RunAsync(parts, "check-config", MonitoringFiles.AlertmanagerConfig);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
    }

    [Theory]
    [MemberData(nameof(PartsUnderTest.Sets), MemberType = typeof(PartsUnderTest))]
    public async Task Every_alert_routes_by_its_severity(string set)
    {
        var parts = await PartsUnderTest.UseAsync(set);
        var expectedReceiver = new Dictionary<string, string> { ["critical"] = "pager", ["warning"] = "ticket", ["info"] = "null" };

        foreach (var rule in AlertRuleFile.LoadRepositoryRules())
        {
            var result = await Amtool.RunAsync(
                parts,
                "config", "routes", "test", $"--config.file={MonitoringFiles.AlertmanagerConfig}",
                $"alertname={rule.Name}", $"severity={rule.Severity}", "job=netfilter-exporter", "instance=node-a:10066");

            Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
            Assert.Equal(expectedReceiver[rule.Severity], result.StandardOutput.Trim());
        }
    }

    [Theory]
    [MemberData(nameof(PartsUnderTest.Sets), MemberType = typeof(PartsUnderTest))]
    public async Task Alerts_without_severity_still_reach_the_ticket_receiver(string set)
    {
        var parts = await PartsUnderTest.UseAsync(set);
        var result = await Amtool.RunAsync(parts, "config", "routes", "test", $"--config.file={MonitoringFiles.AlertmanagerConfig}", "alertname=SomethingElse");

        Assert.Equal("ticket", result.StandardOutput.Trim());
    }

    [Fact]
    public void Inhibit_rules_pair_alerts_that_exist_on_labels_both_carry()
    {
        var file = YamlFile.Load(MonitoringFiles.AlertmanagerConfig);
        var rules = AlertRuleFile.LoadRepositoryRules();
        var severityRank = new Dictionary<string, int> { ["info"] = 0, ["warning"] = 1, ["critical"] = 2 };
        var inhibitRules = file.Sequence(file.Root, "inhibit_rules").Cast<YamlMappingNode>().ToArray();

        Assert.NotEmpty(inhibitRules);
        foreach (var inhibit in inhibitRules)
        {
            var source = rules.Single(rule => rule.Name == AlertName(file, inhibit, "source_matchers"));
            var target = rules.Single(rule => rule.Name == AlertName(file, inhibit, "target_matchers"));
            var equal = file.Sequence(inhibit, "equal").Select(node => ((YamlScalarNode)node).Value!).ToArray();

            Assert.True(severityRank[source.Severity] >= severityRank[target.Severity], $"{file.Where(inhibit)}: a {source.Severity} alert must not silence a {target.Severity} one");
            // Prometheus sends a group's alerts in rule order, so the source reaches Alertmanager first.
            Assert.True(Line(source) < Line(target), $"{source.Location}: {source.Name} must come before {target.Name} ({target.Location})");
            Assert.Contains("job", equal);
            Assert.Contains("instance", equal);
            var firing = AlertTestFile.LoadRepositoryTests()
                .Where(expectation => expectation.AlertName == source.Name || expectation.AlertName == target.Name)
                .SelectMany(expectation => expectation.ExpectedAlerts)
                .ToArray();
            Assert.NotEmpty(firing);
            Assert.All(firing, alert => Assert.All(equal, label =>
                Assert.False(string.IsNullOrEmpty(alert.Labels.GetValueOrDefault(label)), $"{file.Where(inhibit)}: an expected alert lacks '{label}', so the inhibition could never match")));
        }
    }

    [Theory]
    [InlineData("pager")]
    [InlineData("ticket")]
    public void Notifying_receivers_are_loopback_webhooks_that_send_resolved(string receiverName)
    {
        var file = YamlFile.Load(MonitoringFiles.AlertmanagerConfig);
        var receiver = file.Sequence(file.Root, "receivers").Cast<YamlMappingNode>().Single(node => file.Scalar(node, "name") == receiverName);

        var webhooks = file.Sequence(receiver, "webhook_configs").Cast<YamlMappingNode>().ToArray();

        Assert.NotEmpty(webhooks);
        Assert.All(webhooks, webhook =>
        {
            Assert.Equal("true", file.Scalar(webhook, "send_resolved"));
            var url = new Uri(file.Scalar(webhook, "url"));
            Assert.True(url.IsLoopback, $"{file.Where(webhook)}: placeholder URL must stay on loopback");
        });
    }

    /// <summary>The alert named by the matchers under <paramref name="key"/>, which must be a single alertname="X".</summary>
    private static string AlertName(YamlFile file, YamlMappingNode inhibit, string key)
    {
        var matchers = file.Sequence(inhibit, key).Select(node => ((YamlScalarNode)node).Value!).ToArray();
        var matcher = Assert.Single(matchers);
        Assert.Matches("^alertname=\"[A-Za-z]+\"$", matcher);
        return matcher["alertname=\"".Length..^1];
    }

    private static int Line(AlertRule rule) => int.Parse(rule.Location[(rule.Location.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
}
