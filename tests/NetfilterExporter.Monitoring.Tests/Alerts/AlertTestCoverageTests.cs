using Xunit;

namespace NetfilterExporter.Monitoring.Tests.Alerts;

/// <summary>Every alert has promtool tests that prove it waits for its 'for', stays silent on healthy input and carries its labels and annotations.</summary>
public sealed class AlertTestCoverageTests
{
    public static TheoryData<string> AlertNames() => new(AlertRuleFile.LoadRepositoryRules().Select(rule => rule.Name));

    [Theory]
    [MemberData(nameof(AlertNames))]
    public void AlertIsSilentBeforeItsForAndFiringAfterIt(string alertName)
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
    public void AlertStaysSilentOnHealthyInputLongAfterItsFor(string alertName)
    {
        var rule = AlertRuleFile.LoadRepositoryRules().Single(rule => rule.Name == alertName);

        Assert.Contains(ExpectationsFor(alertName), expectation => !expectation.Fires && expectation.EvaluationTime >= rule.For);
    }

    [Theory]
    [MemberData(nameof(AlertNames))]
    public void FiringExpectationsCarryTheRulesLabelsAndEveryAnnotation(string alertName)
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
    public void HostPortAlertKeepsTheLabelsThatLocateThePort(string alertName)
    {
        var firing = ExpectationsFor(alertName).SelectMany(expectation => expectation.ExpectedAlerts).ToArray();

        Assert.NotEmpty(firing);
        Assert.All(firing, alert => Assert.All(
            new[] { "instance", "backend", "family", "protocol", "host_ip", "port" },
            label => Assert.False(string.IsNullOrEmpty(alert.Labels.GetValueOrDefault(label)), $"label {label} missing")));
    }

    [Fact]
    public void PromtoolTestsOnlyNameAlertsThatExist()
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
