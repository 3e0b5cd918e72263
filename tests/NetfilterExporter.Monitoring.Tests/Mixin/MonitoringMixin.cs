namespace NetfilterExporter.Monitoring.Tests.Mixin;

/// <summary>Runs mixin/generate.sh, the one command that writes the rule file, the dashboards and the Kubernetes bundle.</summary>
public static class MonitoringMixin
{
    public const string DefaultSelector = "job=\"netfilter-exporter\"";

    public const string DefaultRunbookBase = "https://github.com/netfilter-exporter/netfilter-exporter/blob/main/docs/runbooks/";

    /// <summary>Every file the command writes, relative to the output directory.</summary>
    public static IReadOnlyList<string> GeneratedFiles =>
    [
        "alerts/netfilter-exporter.rules.yml",
        "dashboards/netfilter-fleet.json",
        "dashboards/netfilter-node.json",
        "deploy/kubernetes/manifests/40-prometheusrule.yaml",
        "deploy/kubernetes/manifests/50-grafana-dashboards.yaml",
    ];

    public static Task<CommandResult> GenerateAsync(string output, string? configFile = null)
    {
        Prerequisites.RequireCommand("jsonnet", "jsonnet");
        Prerequisites.RequireCommand("jq", "jq");
        string[] config = configFile is null ? [] : ["--config", configFile];
        // A hang guard, not a bound: Debian's jsonnet needs about 13 s of CPU for the whole mixin on an idle machine, and
        // CI runs the other suites (qemu guests, image builds) beside it on two cores.
        return TestCommand.RunAsync("bash", [RepositoryPaths.Combine("mixin", "generate.sh"), .. config, "--output", output], timeout: TimeSpan.FromMinutes(5));
    }
}
