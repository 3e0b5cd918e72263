using NetfilterExporter.Monitoring.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace NetfilterExporter.Monitoring.Tests.EndToEnd;

/// <summary>
/// deploy/prometheus/prometheus.yml rewritten for the test: second-scale intervals, the test's rule file, the
/// test's Alertmanager and exporters. The job the rules select is taken from the example, so renaming it there
/// breaks this test as it would break a real installation.
/// </summary>
public static class TestPrometheusConfig
{
    public static string Derive(
        string configPath, string jobName, string interval, string ruleFile, string alertmanagerTarget, IReadOnlyList<string> exporterTargets)
    {
        var file = YamlFile.Load(configPath);
        var root = file.Root;

        var global = YamlFile.Optional(root, "global") as YamlMappingNode ?? [];
        YamlText.Set(global, "scrape_interval", interval);
        YamlText.Set(global, "scrape_timeout", interval);
        YamlText.Set(global, "evaluation_interval", interval);
        YamlText.Set(root, "global", global);

        YamlText.Set(root, "rule_files", YamlText.Sequence([ruleFile]));

        var alerting = YamlFile.Optional(root, "alerting") as YamlMappingNode
            ?? throw new InvalidDataException($"{file.Where(root)}: 'alerting' is missing, so no alert would reach Alertmanager");
        foreach (var alertmanager in file.Sequence(alerting, "alertmanagers").Cast<YamlMappingNode>())
        {
            YamlText.Set(alertmanager, "static_configs", YamlText.StaticConfigs([alertmanagerTarget]));
        }

        var job = file.Sequence(root, "scrape_configs").Cast<YamlMappingNode>().SingleOrDefault(node => file.Scalar(node, "job_name") == jobName)
            ?? throw new InvalidDataException($"{file.Where(root)}: no scrape job named '{jobName}', the job the alert rules select");
        job.Children.Remove(new YamlScalarNode("scrape_interval"));
        job.Children.Remove(new YamlScalarNode("scrape_timeout"));
        YamlText.Set(job, "static_configs", YamlText.StaticConfigs(exporterTargets));
        // Other jobs of the example would scrape targets that do not exist inside the test's namespace.
        YamlText.Set(root, "scrape_configs", new YamlSequenceNode(job));

        return YamlText.Write(root);
    }
}
