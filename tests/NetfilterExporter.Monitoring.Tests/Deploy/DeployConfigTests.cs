using NetfilterExporter.Monitoring.Tests.Alerts;
using NetfilterExporter.Monitoring.Tests.Support;
using YamlDotNet.RepresentationModel;
using Xunit;

namespace NetfilterExporter.Monitoring.Tests.Deploy;

/// <summary>The example Prometheus and Alertmanager configurations stay valid and route as documented.</summary>
public sealed class DeployConfigTests
{
    [Fact]
    public async Task PromtoolAcceptsThePrometheusExampleAndItsRuleFile()
    {
        var ruleCount = AlertRuleFile.LoadRepositoryRules().Count;

        var result = await Promtool.RunAsync("check", "config", MonitoringFiles.PrometheusConfig);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Contains("netfilter-exporter.rules.yml", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"SUCCESS: {ruleCount} rules found", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void PrometheusExampleScrapesTheJobTheRulesSelectAndLoadsTheRepositoryRules()
    {
        var file = YamlFile.Load(MonitoringFiles.PrometheusConfig);
        var directory = Path.GetDirectoryName(MonitoringFiles.PrometheusConfig)!;

        var jobs = file.Sequence(file.Root, "scrape_configs").Select(job => file.Scalar((YamlMappingNode)job, "job_name"));
        var ruleFiles = file.Sequence(file.Root, "rule_files").Select(node => Path.GetFullPath(Path.Combine(directory, ((YamlScalarNode)node).Value!)));

        Assert.Contains("netfilter-exporter", jobs);
        Assert.Equal([Path.GetFullPath(MonitoringFiles.RulesFile)], ruleFiles);
    }

    [Fact]
    public async Task AmtoolAcceptsTheAlertmanagerExample()
    {
        var result = await Amtool.RunAsync("check-config", MonitoringFiles.AlertmanagerConfig);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
    }

    [Fact]
    public async Task EveryAlertRoutesByItsSeverity()
    {
        var expectedReceiver = new Dictionary<string, string> { ["critical"] = "pager", ["warning"] = "ticket", ["info"] = "null" };

        foreach (var rule in AlertRuleFile.LoadRepositoryRules())
        {
            var result = await Amtool.RunAsync(
                "config", "routes", "test", $"--config.file={MonitoringFiles.AlertmanagerConfig}",
                $"alertname={rule.Name}", $"severity={rule.Severity}", "job=netfilter-exporter", "instance=node-a:10066");

            Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
            Assert.Equal(expectedReceiver[rule.Severity], result.StandardOutput.Trim());
        }
    }

    [Fact]
    public async Task AlertsWithoutSeverityStillReachTheTicketReceiver()
    {
        var result = await Amtool.RunAsync("config", "routes", "test", $"--config.file={MonitoringFiles.AlertmanagerConfig}", "alertname=SomethingElse");

        Assert.Equal("ticket", result.StandardOutput.Trim());
    }

    [Theory]
    [InlineData("pager")]
    [InlineData("ticket")]
    public void NotifyingReceiversAreLoopbackWebhooksThatSendResolved(string receiverName)
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
}
