namespace NetfilterExporter.Monitoring.Tests.Dashboards;

/// <summary>An entry of templating.list.</summary>
public sealed record DashboardVariable(
    string Name,
    string Label,
    string Type,
    string Query,
    string? DatasourceUid,
    bool Multi,
    bool IncludeAll,
    string? AllValue,
    int Refresh);
