namespace NetfilterExporter.Monitoring.Tests.Alerts;

/// <summary>
/// One alert_rule_test entry of a promtool unit test: at EvaluationTime, exactly ExpectedAlerts fire
/// (none means the alert must be silent, pending included).
/// </summary>
public sealed record AlertExpectation(
    string TestFile,
    string TestName,
    string AlertName,
    TimeSpan EvaluationTime,
    IReadOnlyList<ExpectedAlert> ExpectedAlerts,
    string Location)
{
    public bool Fires => ExpectedAlerts.Count > 0;
}
