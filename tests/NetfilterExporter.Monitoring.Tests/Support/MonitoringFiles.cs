
namespace NetfilterExporter.Monitoring.Tests.Support;

/// <summary>Where the monitoring artefacts live in the repository; tests read them in place.</summary>
public static class MonitoringFiles
{
    public static string RulesFile => RepositoryPaths.Combine("alerts", "netfilter-exporter.rules.yml");

    public static string AlertTestsDirectory => RepositoryPaths.Combine("alerts", "tests");

    public static string RunbooksDirectory => RepositoryPaths.Combine("docs", "runbooks");

    public static string DashboardsDirectory => RepositoryPaths.Combine("dashboards");

    public static string PrometheusConfig => RepositoryPaths.Combine("deploy", "prometheus", "prometheus.yml");

    public static string AlertmanagerConfig => RepositoryPaths.Combine("deploy", "alertmanager", "alertmanager.yml");

    public static IReadOnlyList<string> AlertTestFiles() =>
        Directory.GetFiles(AlertTestsDirectory, "*.test.yml").Order(StringComparer.Ordinal).ToArray();

    public static IReadOnlyList<string> DashboardFiles() =>
        Directory.GetFiles(DashboardsDirectory, "*.json").Order(StringComparer.Ordinal).ToArray();
}
