using NetfilterExporter.Monitoring.Tests.Alerts;
using NetfilterExporter.Monitoring.Tests.Support;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace NetfilterExporter.Monitoring.Tests.EndToEnd;

/// <summary>
/// The configuration the end-to-end test derives from the project's files stays valid and keeps their meaning,
/// checked without root so a broken rewrite shows up even where the end-to-end test cannot run.
/// </summary>
public sealed class DerivedConfigTests
{
    private static readonly Uri Receiver = new("http://127.0.0.1:39999/");

    [Theory]
    [MemberData(nameof(PartsUnderTest.Sets), MemberType = typeof(PartsUnderTest))]
    public async Task The_derived_rule_file_keeps_every_rule_but_fires_after_the_shortened_for(string set)
    {
        var parts = await PartsUnderTest.UseAsync(set);
        using var directory = new TemporaryDirectory("nfx-e2e-rules-");
        var derivedPath = directory.Combine("rules.yml");
        await File.WriteAllTextAsync(derivedPath, TestRuleFile.Derive(MonitoringFiles.RulesFile, "3s"), TestContext.Current.CancellationToken);

        var original = AlertRuleFile.LoadRepositoryRules();
        var derived = AlertRuleFile.Load(derivedPath);
        var check = await Promtool.RunAsync(parts, "check", "rules", derivedPath);

        Assert.True(check.ExitCode == 0, check.StandardOutput + check.StandardError);
        Assert.Equal(original.Select(rule => (rule.Name, rule.Expression)), derived.Select(rule => (rule.Name, rule.Expression)));
        Assert.Equal(original.Select(rule => rule.Annotations), derived.Select(rule => rule.Annotations));
        Assert.Equal(original.Select(rule => rule.Labels), derived.Select(rule => rule.Labels));
        Assert.NotEmpty(derived);
        Assert.All(derived, rule => Assert.Equal(TimeSpan.FromSeconds(3), rule.For));
    }

    [Theory]
    [MemberData(nameof(PartsUnderTest.Sets), MemberType = typeof(PartsUnderTest))]
    public async Task The_derived_prometheus_config_scrapes_the_given_targets_with_the_derived_rules(string set)
    {
        var parts = await PartsUnderTest.UseAsync(set);
        using var directory = new TemporaryDirectory("nfx-e2e-prometheus-");
        var rules = directory.Combine("rules.yml");
        await File.WriteAllTextAsync(rules, TestRuleFile.Derive(MonitoringFiles.RulesFile, "3s"), TestContext.Current.CancellationToken);
        var configPath = directory.Combine("prometheus.yml");
        await File.WriteAllTextAsync(configPath, TestPrometheusConfig.Derive(
            MonitoringFiles.PrometheusConfig, MonitoringStack.Job, "1s", rules, "127.0.0.1:9093", ["127.0.0.1:10066", "127.0.0.1:10067"]), TestContext.Current.CancellationToken);

        var check = await Promtool.RunAsync(parts, "check", "config", configPath);
        var config = YamlFile.Load(configPath);
        var job = (YamlMappingNode)config.Sequence(config.Root, "scrape_configs").Single();
        var targets = config.Sequence((YamlMappingNode)config.Sequence(job, "static_configs").Single(), "targets").Select(node => ((YamlScalarNode)node).Value);

        Assert.True(check.ExitCode == 0, check.StandardOutput + check.StandardError);
        Assert.Contains($"SUCCESS: {AlertRuleFile.LoadRepositoryRules().Count} rules found", check.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(MonitoringStack.Job, config.Scalar(job, "job_name"));
        Assert.Equal(["127.0.0.1:10066", "127.0.0.1:10067"], targets);
    }

    [Fact]
    public void A_prometheus_config_without_the_rules_job_is_rejected_with_its_location()
    {
        var error = Assert.Throws<InvalidDataException>(() =>
            TestPrometheusConfig.Derive(MonitoringFiles.PrometheusConfig, "some-other-job", "1s", "rules.yml", "127.0.0.1:9093", ["127.0.0.1:10066"]));

        Assert.Contains("prometheus.yml:", error.Message, StringComparison.Ordinal);
        Assert.Contains("'some-other-job'", error.Message, StringComparison.Ordinal);
    }

    private static readonly Dictionary<string, string> ReceiverBySeverity = new(StringComparer.Ordinal)
    {
        ["critical"] = "pager",
        ["warning"] = "ticket",
        ["info"] = "null",
    };

    public static TheoryData<string, string> Severities => PartsUnderTest.SetsWith(ReceiverBySeverity.Keys);

    [Theory]
    [MemberData(nameof(Severities))]
    public async Task The_derived_alertmanager_config_routes_like_the_example(string set, string severity)
    {
        var parts = await PartsUnderTest.UseAsync(set);
        var receiverName = ReceiverBySeverity[severity];
        using var directory = new TemporaryDirectory("nfx-e2e-alertmanager-");
        var configPath = directory.Combine("alertmanager.yml");
        await File.WriteAllTextAsync(configPath, TestAlertmanagerConfig.Derive(MonitoringFiles.AlertmanagerConfig, "1s", Receiver), TestContext.Current.CancellationToken);

        var check = await Amtool.RunAsync(parts, "check-config", configPath);
        var route = await Amtool.RunAsync(parts, "config", "routes", "test", $"--config.file={configPath}", "alertname=NetfilterTest", $"severity={severity}");

        Assert.True(check.ExitCode == 0, check.StandardOutput + check.StandardError);
        Assert.Equal(receiverName, route.StandardOutput.Trim());
    }

    [Fact]
    public async Task The_derived_alertmanager_config_sends_every_webhook_to_the_test_receiver_on_its_original_path()
    {
        using var directory = new TemporaryDirectory("nfx-e2e-alertmanager-");
        var configPath = directory.Combine("alertmanager.yml");
        await File.WriteAllTextAsync(configPath, TestAlertmanagerConfig.Derive(MonitoringFiles.AlertmanagerConfig, "1s", Receiver), TestContext.Current.CancellationToken);

        var derived = WebhookUrls(YamlFile.Load(configPath));
        var original = WebhookUrls(YamlFile.Load(MonitoringFiles.AlertmanagerConfig));

        Assert.NotEmpty(derived);
        Assert.All(derived, url => Assert.Equal(Receiver.Authority, url.Authority));
        Assert.Equal(original.Select(url => url.AbsolutePath), derived.Select(url => url.AbsolutePath));
    }

    private static Uri[] WebhookUrls(YamlFile file) =>
        file.Sequence(file.Root, "receivers").Cast<YamlMappingNode>()
            .SelectMany(receiver => YamlFile.Optional(receiver, "webhook_configs") as YamlSequenceNode ?? [])
            .Select(webhook => new Uri(file.Scalar((YamlMappingNode)webhook, "url")))
            .ToArray();
}
