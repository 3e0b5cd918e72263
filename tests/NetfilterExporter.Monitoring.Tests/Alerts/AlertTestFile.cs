using NetfilterExporter.Monitoring.Tests.Support;
using NetfilterExporter.WebConfig;
using YamlDotNet.RepresentationModel;

namespace NetfilterExporter.Monitoring.Tests.Alerts;

/// <summary>Reads the alert expectations of promtool unit test files (alerts/tests/*.test.yml).</summary>
public static class AlertTestFile
{
    public static IReadOnlyList<AlertExpectation> Load(string path)
    {
        var file = YamlFile.Load(path);
        var expectations = new List<AlertExpectation>();
        foreach (var testNode in file.Sequence(file.Root, "tests"))
        {
            var test = (YamlMappingNode)testNode;
            var testName = file.OptionalScalar(test, "name") ?? file.Where(test);
            if (YamlFile.Optional(test, "alert_rule_test") is not YamlSequenceNode alertTests)
            {
                continue;
            }
            foreach (var alertTestNode in alertTests)
            {
                var alertTest = (YamlMappingNode)alertTestNode;
                var expected = YamlFile.Optional(alertTest, "exp_alerts") is YamlSequenceNode alerts
                    ? alerts.Select(node => new ExpectedAlert(
                        file.StringMap((YamlMappingNode)node, "exp_labels"),
                        file.StringMap((YamlMappingNode)node, "exp_annotations"))).ToArray()
                    : [];
                expectations.Add(new AlertExpectation(
                    Path.GetFileName(path),
                    testName,
                    file.Scalar(alertTest, "alertname"),
                    Duration.Parse(file.Scalar(alertTest, "eval_time"), DurationGrammar.Prometheus),
                    expected,
                    file.Where(alertTest)));
            }
        }
        return expectations;
    }

    public static IReadOnlyList<AlertExpectation> LoadRepositoryTests() =>
        MonitoringFiles.AlertTestFiles().SelectMany(Load).ToArray();
}
