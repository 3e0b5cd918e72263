namespace NetfilterExporter.Monitoring.Tests.Dashboards;

/// <summary>A panel of the classic dashboard JSON model (rows' nested panels included).</summary>
public sealed record DashboardPanel(
    int Id,
    string Type,
    string Title,
    string Description,
    string? DatasourceUid,
    string? Unit,
    IReadOnlyList<DashboardTarget> Targets,
    IReadOnlyList<DashboardLink> Links)
{
    public string Name => $"panel {Id} '{Title}'";
}
