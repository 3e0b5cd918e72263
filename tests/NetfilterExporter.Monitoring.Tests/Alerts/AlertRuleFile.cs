using NetfilterExporter.Monitoring.Tests.Support;
using NetfilterExporter.WebConfig;
using YamlDotNet.RepresentationModel;

namespace NetfilterExporter.Monitoring.Tests.Alerts;

/// <summary>Reads the alerting rules of a Prometheus rule file (recording rules are skipped).</summary>
public static class AlertRuleFile
{
    public static IReadOnlyList<AlertRule> Load(string path)
    {
        var file = YamlFile.Load(path);
        var rules = new List<AlertRule>();
        foreach (var groupNode in file.Sequence(file.Root, "groups"))
        {
            var group = (YamlMappingNode)groupNode;
            foreach (var ruleNode in file.Sequence(group, "rules"))
            {
                var rule = (YamlMappingNode)ruleNode;
                var name = file.OptionalScalar(rule, "alert");
                if (name is null)
                {
                    continue;
                }
                var forText = file.OptionalScalar(rule, "for");
                rules.Add(new AlertRule(
                    name,
                    file.Scalar(rule, "expr"),
                    forText is null ? TimeSpan.Zero : Duration.Parse(forText, DurationGrammar.Prometheus),
                    file.StringMap(rule, "labels"),
                    file.StringMap(rule, "annotations"),
                    file.Where(rule)));
            }
        }
        return rules;
    }

    public static IReadOnlyList<AlertRule> LoadRepositoryRules() => Load(MonitoringFiles.RulesFile);
}
