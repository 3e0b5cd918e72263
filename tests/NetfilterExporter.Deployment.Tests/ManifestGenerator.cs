
namespace NetfilterExporter.Deployment.Tests;

/// <summary>Runs deploy/kubernetes/generate.sh, which builds the PrometheusRule and dashboard ConfigMaps.</summary>
public static class ManifestGenerator
{
    public const string RulesFile = "alerts/netfilter-exporter.rules.yml";
    public const string PrometheusRuleFile = "40-prometheusrule.yaml";
    public const string DashboardsFile = "50-grafana-dashboards.yaml";

    public static Task<CommandResult> RunAsync(string sources, string output)
    {
        Prerequisites.RequireCommand("jq", "jq");
        var script = Path.Combine(KubernetesManifests.Root, "generate.sh");
        return TestCommand.RunAsync("bash", [script, "--sources", sources, "--output", output]);
    }
}
