using NetfilterExporter.Monitoring.Tests.Support;
using Xunit;

namespace NetfilterExporter.Monitoring.Tests.Alerts;

public sealed class PromtoolRuleTests
{
    public static TheoryData<string, string> AlertTestFiles() => PartsUnderTest.SetsWith(MonitoringFiles.AlertTestFiles().Select(Path.GetFileName).OfType<string>());

    [Theory]
    [MemberData(nameof(PartsUnderTest.Sets), MemberType = typeof(PartsUnderTest))]
    public async Task Promtool_check_rules_accepts_the_rule_file(string set)
    {
        var parts = await PartsUnderTest.UseAsync(set);
        var rules = AlertRuleFile.LoadRepositoryRules();

        var result = await Promtool.RunAsync(parts, "check", "rules", MonitoringFiles.RulesFile);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Contains($"SUCCESS: {rules.Count} rules found", result.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AlertTestFiles))]
    public async Task Promtool_unit_tests_pass(string set, string testFile)
    {
        var parts = await PartsUnderTest.UseAsync(set);
        var result = await Promtool.RunAsync(parts, "test", "rules", Path.Combine(MonitoringFiles.AlertTestsDirectory, testFile));

        Assert.True(result.ExitCode == 0, $"promtool test rules {testFile}:\n{result.StandardOutput}{result.StandardError}");
    }

    [Theory]
    [MemberData(nameof(PartsUnderTest.Sets), MemberType = typeof(PartsUnderTest))]
    public async Task Promtool_unit_tests_compare_annotations_exactly(string set)
    {
        var parts = await PartsUnderTest.UseAsync(set);
        // Guards the suite itself: an expectation that names the wrong binary must make promtool fail.
        var original = Path.Combine(MonitoringFiles.AlertTestsDirectory, "NetfilterHostPortDNATDuplicate.test.yml");
        var text = File.ReadAllText(original);
        Assert.Contains("sudo iptables-legacy -t nat -F CNI-HOSTPORT-DNAT", text, StringComparison.Ordinal);
        using var directory = new TemporaryDirectory("netfilter-alert-test-");
        var altered = directory.Combine("altered.test.yml");
        File.WriteAllText(altered, text
            .Replace("rule_files: [../netfilter-exporter.rules.yml]", $"rule_files: ['{MonitoringFiles.RulesFile}']", StringComparison.Ordinal)
            .Replace("sudo iptables-legacy -t nat -F CNI-HOSTPORT-DNAT", "sudo iptables-nft -t nat -F CNI-HOSTPORT-DNAT", StringComparison.Ordinal));

        var result = await Promtool.RunAsync(parts, "test", "rules", altered);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("iptables-nft -t nat -F", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }
}
