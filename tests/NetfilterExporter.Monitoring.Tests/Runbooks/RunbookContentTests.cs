using NetfilterExporter.Monitoring.Tests.Alerts;
using NetfilterExporter.Monitoring.Tests.Support;
using Xunit;

namespace NetfilterExporter.Monitoring.Tests.Runbooks;

public sealed class RunbookContentTests
{
    private const string IndexFile = "README.md";

    public static TheoryData<string> AlertNames() => new(AlertRuleFile.LoadRepositoryRules().Select(rule => rule.Name));

    [Theory]
    [MemberData(nameof(AlertNames))]
    public void Runbook_has_every_section(string alertName)
    {
        var path = Path.Combine(MonitoringFiles.RunbooksDirectory, alertName + ".md");
        Assert.True(File.Exists(path), $"docs/runbooks/{alertName}.md is missing");
        var lines = File.ReadAllLines(path);

        Assert.Equal("# " + alertName, lines[0]);
        var headings = lines.Where(line => line.StartsWith("## ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(["## Meaning", "## Impact", "## Diagnosis", "## Fix", "## Prevention", "## References"], headings);
        Assert.Contains(lines, line => line.StartsWith("```sh", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(AlertNames))]
    public void Runbook_states_the_alerts_severity(string alertName)
    {
        var rule = AlertRuleFile.LoadRepositoryRules().Single(rule => rule.Name == alertName);
        var text = File.ReadAllText(Path.Combine(MonitoringFiles.RunbooksDirectory, alertName + ".md"));

        Assert.Contains($"Severity: **{rule.Severity}**", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Node_side_runbooks_show_the_check_command()
    {
        var nodeSide = AlertRuleFile.LoadRepositoryRules().Where(rule => rule.Name != "NetfilterExporterDown").ToArray();

        Assert.NotEmpty(nodeSide);
        Assert.All(nodeSide, rule => Assert.True(
            File.ReadAllText(Path.Combine(MonitoringFiles.RunbooksDirectory, rule.Name + ".md")).Contains("netfilter-exporter check", StringComparison.Ordinal),
            $"docs/runbooks/{rule.Name}.md does not show `netfilter-exporter check`"));
    }

    [Fact]
    public void Every_runbook_belongs_to_an_alert_and_the_index_lists_them_all()
    {
        var alertNames = AlertRuleFile.LoadRepositoryRules().Select(rule => rule.Name).Order(StringComparer.Ordinal).ToArray();
        var runbooks = Directory.GetFiles(MonitoringFiles.RunbooksDirectory, "*.md")
            .Select(Path.GetFileName)
            .Where(name => name != IndexFile)
            .Select(name => Path.GetFileNameWithoutExtension(name!))
            .Order(StringComparer.Ordinal);
        var index = File.ReadAllText(Path.Combine(MonitoringFiles.RunbooksDirectory, IndexFile));

        Assert.Equal(alertNames, runbooks);
        Assert.All(alertNames, name => Assert.Contains($"]({name}.md)", index, StringComparison.Ordinal));
    }
}
