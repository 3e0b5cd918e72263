namespace NetfilterExporter.Monitoring.Tests.Dashboards;

/// <summary>One violation, named after the dashboard-linter rule it mirrors.</summary>
public sealed record LintProblem(string Rule, string Where, string Message)
{
    public override string ToString() => $"{Where}: [{Rule}] {Message}";
}
