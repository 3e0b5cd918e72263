using Xunit;

namespace NetfilterExporter.Monitoring.Tests.Alerts;

/// <summary>Every alert has promtool tests that prove it waits for its 'for', stays silent on healthy input and carries its labels and annotations.</summary>
public sealed class AlertTestCoverageTests
{
    public static TheoryData<string> AlertNames() => new(AlertRuleFile.LoadRepositoryRules().Select(rule => rule.Name));

    [Theory]
    [MemberData(nameof(AlertNames))]
    public void Alert_is_silent_before_its_for_and_firing_after_it(string alertName)
    {
        var rule = AlertRuleFile.LoadRepositoryRules().Single(rule => rule.Name == alertName);
        var expectations = ExpectationsFor(alertName);

        var provesFor = expectations
            .GroupBy(expectation => (expectation.TestFile, expectation.TestName))
            .Any(test => test.Any(expectation => !expectation.Fires && expectation.EvaluationTime < rule.For)
                && test.Any(expectation => expectation.Fires && expectation.EvaluationTime >= rule.For));

        Assert.True(provesFor, $"{alertName}: no promtool test is silent before {rule.For} and firing after it");
    }

    [Theory]
    [MemberData(nameof(AlertNames))]
    public void Alert_stays_silent_on_healthy_input_long_after_its_for(string alertName)
    {
        var rule = AlertRuleFile.LoadRepositoryRules().Single(rule => rule.Name == alertName);

        Assert.Contains(ExpectationsFor(alertName), expectation => !expectation.Fires && expectation.EvaluationTime >= rule.For);
    }

    [Theory]
    [MemberData(nameof(AlertNames))]
    public void Firing_expectations_carry_the_rules_labels_and_every_annotation(string alertName)
    {
        var rule = AlertRuleFile.LoadRepositoryRules().Single(rule => rule.Name == alertName);
        var firing = ExpectationsFor(alertName).SelectMany(expectation => expectation.ExpectedAlerts).ToArray();

        Assert.NotEmpty(firing);
        Assert.All(firing, alert =>
        {
            foreach (var (name, value) in rule.Labels)
            {
                Assert.Equal(value, alert.Labels.GetValueOrDefault(name));
            }
            Assert.Equal(rule.Annotations.Keys.Order(StringComparer.Ordinal), alert.Annotations.Keys.Order(StringComparer.Ordinal));
            Assert.Equal("netfilter-exporter", alert.Labels.GetValueOrDefault("job"));
        });
    }

    [Theory]
    [InlineData("NetfilterHostPortDNATDuplicate")]
    [InlineData("NetfilterHostPortStaleClaimWins")]
    public void Host_port_alert_keeps_the_labels_that_locate_the_port(string alertName)
    {
        var firing = ExpectationsFor(alertName).SelectMany(expectation => expectation.ExpectedAlerts).ToArray();

        Assert.NotEmpty(firing);
        Assert.All(firing, alert => Assert.All(
            new[] { "instance", "backend", "family", "protocol", "host_ip", "port" },
            label => Assert.False(string.IsNullOrEmpty(alert.Labels.GetValueOrDefault(label)), $"label {label} missing")));
    }

    [Fact]
    public void Promtool_tests_only_name_alerts_that_exist()
    {
        var names = AlertRuleFile.LoadRepositoryRules().Select(rule => rule.Name).ToHashSet(StringComparer.Ordinal);
        var expectations = AlertTestFile.LoadRepositoryTests();

        Assert.NotEmpty(expectations);
        Assert.All(expectations, expectation =>
            Assert.True(names.Contains(expectation.AlertName), $"{expectation.Location}: unknown alert {expectation.AlertName}"));
    }

    private static IReadOnlyList<AlertExpectation> ExpectationsFor(string alertName) =>
        AlertTestFile.LoadRepositoryTests().Where(expectation => expectation.AlertName == alertName).ToArray();
}
