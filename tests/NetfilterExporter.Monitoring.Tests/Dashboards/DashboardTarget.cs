namespace NetfilterExporter.Monitoring.Tests.Dashboards;

/// <summary>One query of a panel; DatasourceUid is null when the target inherits the panel's data source.</summary>
public sealed record DashboardTarget(string RefId, string Expression, string? DatasourceUid);
