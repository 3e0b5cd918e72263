using System.Text.RegularExpressions;
using NetfilterExporter.Monitoring.Tests.Alerts;
using NetfilterExporter.Monitoring.Tests.Dashboards;
using NetfilterExporter.Monitoring.Tests.Support;
using Xunit;

namespace NetfilterExporter.Monitoring.Tests.Mixin;

/// <summary>
/// The committed alerts, dashboards and Kubernetes bundle are what mixin/generate.sh makes of mixin/config.libsonnet,
/// and its two settings, the job selector and the runbook base, reach every place that uses them.
/// </summary>
public sealed class MixinGenerationTests
{
    private const string OtherSelector = "job=\"node-netfilter\",cluster=\"x\"";
    private const string OtherRunbookBase = "https://runbooks.example.com/ops/netfilter/";

    [Fact]
    public async Task Default_output_is_byte_for_byte_the_committed_rules_dashboards_and_kubernetes_bundle()
    {
        using var output = new TemporaryDirectory("nfx-mixin-");

        (await MonitoringMixin.GenerateAsync(output.Path)).EnsureSuccess("mixin/generate.sh");

        foreach (var file in MonitoringMixin.GeneratedFiles)
        {
            Assert.True(File.ReadAllBytes(output.Combine(file.Split('/'))).AsSpan().SequenceEqual(File.ReadAllBytes(RepositoryPaths.Combine(file.Split('/')))),
                $"{file} is out of date with mixin/: run mixin/generate.sh and commit the result");
        }
        Assert.Equal(
            MonitoringFiles.DashboardFiles().Select(Path.GetFileName),
            Directory.GetFiles(output.Combine("dashboards")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Changed_selector_and_runbook_base_reach_every_alert_every_dashboard_query_and_link_and_the_bundle()
    {
        using var output = new TemporaryDirectory("nfx-mixin-");
        var config = WriteConfig(output, OtherSelector, OtherRunbookBase);

        (await MonitoringMixin.GenerateAsync(output.Path, config)).EnsureSuccess("mixin/generate.sh --config");

        var rules = AlertRuleFile.Load(output.Combine("alerts", "netfilter-exporter.rules.yml"));
        AssertRulesUse(rules, OtherSelector, OtherRunbookBase);
        Assert.Equal(AlertRuleFile.LoadRepositoryRules().Select(rule => rule.Name), rules.Select(rule => rule.Name));

        var dashboards = Directory.GetFiles(output.Combine("dashboards"), "*.json").Order(StringComparer.Ordinal).Select(GrafanaDashboard.Load).ToList();
        Assert.Equal(2, dashboards.Count);
        foreach (var dashboard in dashboards)
        {
            var queries = DashboardQuery.All(dashboard);
            Assert.NotEmpty(queries);
            Assert.All(queries, query =>
            {
                Assert.Contains("{" + OtherSelector, query.Expression, StringComparison.Ordinal);
                Assert.DoesNotContain(MonitoringMixin.DefaultSelector, query.Expression, StringComparison.Ordinal);
            });
            var links = dashboard.Links.Concat(dashboard.Panels.SelectMany(panel => panel.Links))
                .Where(link => link.Title.StartsWith("Runbook", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(links);
            Assert.All(links, link => Assert.StartsWith(OtherRunbookBase, link.Url, StringComparison.Ordinal));
            Assert.DoesNotContain(MonitoringMixin.DefaultRunbookBase, File.ReadAllText(output.Combine("dashboards", dashboard.FileName)), StringComparison.Ordinal);
        }

        var bundleRules = output.Combine("bundle-rules.yml");
        File.WriteAllText(bundleRules, RuleFileInPrometheusRule(File.ReadAllText(output.Combine("deploy", "kubernetes", "manifests", "40-prometheusrule.yaml"))));
        AssertRulesUse(AlertRuleFile.Load(bundleRules), OtherSelector, OtherRunbookBase);
        var configMaps = File.ReadAllText(output.Combine("deploy", "kubernetes", "manifests", "50-grafana-dashboards.yaml"));
        var jsonSelector = OtherSelector.Replace("\"", "\\\"", StringComparison.Ordinal);
        var inDashboards = dashboards.Sum(dashboard => Count(File.ReadAllText(output.Combine("dashboards", dashboard.FileName)), jsonSelector));
        Assert.True(inDashboards > 0);
        Assert.Equal(inDashboards, Count(configMaps, jsonSelector));
        Assert.Contains(OtherRunbookBase, configMaps, StringComparison.Ordinal);
        Assert.DoesNotContain(MonitoringMixin.DefaultRunbookBase, configMaps, StringComparison.Ordinal);
    }

    [Fact]
    public void Committed_files_use_the_default_selector_and_runbook_base()
    {
        AssertRulesUse(AlertRuleFile.LoadRepositoryRules(), MonitoringMixin.DefaultSelector, MonitoringMixin.DefaultRunbookBase);
    }

    [Fact]
    public async Task Rules_for_another_job_pass_promtool_check_and_the_unit_tests_adapted_to_that_job()
    {
        using var output = new TemporaryDirectory("nfx-mixin-");
        var config = WriteConfig(output, "job=\"other\"", OtherRunbookBase);
        (await MonitoringMixin.GenerateAsync(output.Path, config)).EnsureSuccess("mixin/generate.sh --config");
        var rules = output.Combine("alerts", "netfilter-exporter.rules.yml");

        var check = await Promtool.RunAsync("check", "rules", rules);
        Assert.True(check.ExitCode == 0, check.StandardOutput + check.StandardError);
        Assert.Contains($"SUCCESS: {AlertRuleFile.LoadRepositoryRules().Count} rules found", check.StandardOutput, StringComparison.Ordinal);

        Assert.NotEmpty(MonitoringFiles.AlertTestFiles());
        foreach (var testFile in MonitoringFiles.AlertTestFiles())
        {
            var original = File.ReadAllText(testFile);
            var pointed = original.Replace("rule_files: [../netfilter-exporter.rules.yml]", $"rule_files: ['{rules}']", StringComparison.Ordinal);
            Assert.NotEqual(original, pointed);
            var adapted = output.Combine("adapted-" + Path.GetFileName(testFile));
            File.WriteAllText(adapted, pointed
                .Replace("job=\"netfilter-exporter\"", "job=\"other\"", StringComparison.Ordinal)
                .Replace("job: netfilter-exporter", "job: other", StringComparison.Ordinal)
                .Replace("of job netfilter-exporter", "of job other", StringComparison.Ordinal)
                .Replace(MonitoringMixin.DefaultRunbookBase, OtherRunbookBase, StringComparison.Ordinal));

            var result = await Promtool.RunAsync("test", "rules", adapted);

            Assert.True(result.ExitCode == 0, $"promtool test rules on {Path.GetFileName(testFile)} adapted to job=\"other\":\n{result.StandardOutput}{result.StandardError}");
        }

        // The unadapted expectations must fail on these rules, or the selector never reached them.
        var unadapted = output.Combine("unadapted.test.yml");
        File.WriteAllText(unadapted, File.ReadAllText(Path.Combine(MonitoringFiles.AlertTestsDirectory, "NetfilterHostPortDNATDuplicate.test.yml"))
            .Replace("rule_files: [../netfilter-exporter.rules.yml]", $"rule_files: ['{rules}']", StringComparison.Ordinal));
        Assert.NotEqual(0, (await Promtool.RunAsync("test", "rules", unadapted)).ExitCode);
    }

    private static void AssertRulesUse(IReadOnlyList<AlertRule> rules, string selector, string runbookBase)
    {
        Assert.Equal(13, rules.Count);
        Assert.All(rules, rule =>
        {
            // Every selector of the expression holds the configured matchers, and no other job is named.
            var selectors = Regex.Matches(rule.Expression, @"\{[^}]*\}").Select(match => match.Value).ToList();
            Assert.NotEmpty(selectors);
            Assert.All(selectors, found => Assert.StartsWith("{" + selector, found, StringComparison.Ordinal));
            Assert.Equal(selectors.Count, Count(rule.Expression, "job="));
            Assert.Equal(runbookBase + rule.Name + ".md", rule.Annotations["runbook_url"]);
        });
    }

    /// <summary>The rule file as generate.sh embeds it under spec: (indented by two spaces, byte for byte).</summary>
    private static string RuleFileInPrometheusRule(string manifest)
    {
        var spec = manifest.IndexOf("\nspec:\n", StringComparison.Ordinal);
        Assert.True(spec >= 0, "40-prometheusrule.yaml has no spec:");
        var lines = manifest[(spec + "\nspec:\n".Length)..].Split('\n');
        return string.Join('\n', lines.Select(line => line.StartsWith("  ", StringComparison.Ordinal) ? line[2..] : line));
    }

    private static string WriteConfig(TemporaryDirectory directory, string selector, string runbookBase)
    {
        var path = directory.Combine("config.jsonnet");
        File.WriteAllText(path, $"{{ netfilterExporterSelector: '{selector}', runbookURLBase: '{runbookBase}' }}\n");
        return path;
    }

    private static int Count(string text, string value) => Regex.Matches(text, Regex.Escape(value)).Count;
}
