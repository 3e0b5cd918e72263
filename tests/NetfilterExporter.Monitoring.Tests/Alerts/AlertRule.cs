namespace NetfilterExporter.Monitoring.Tests.Alerts;

/// <summary>One alerting rule as written in the rule file; Location is "file:line" for messages.</summary>
public sealed record AlertRule(
    string Name,
    string Expression,
    TimeSpan For,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    string Location)
{
    public string Severity => Labels.TryGetValue("severity", out var severity) ? severity : "";
}
