namespace NetfilterExporter.Monitoring.Tests.Dashboards;

public sealed record DashboardLink(string Title, string Url);
