namespace NetfilterExporter.Deployment.Tests;

/// <summary>The chain Prometheus follows: ServiceMonitor -> Service -> DaemonSet pods.</summary>
public sealed class ScrapeManifestTests
{
    /// <summary>kube-prometheus-stack selects ServiceMonitors and PrometheusRules by its Helm release name,
    /// and MicroK8s' observability addon installs it as kube-prom-stack.</summary>
    private const string AddonRelease = "kube-prom-stack";

    private readonly ManifestNode service = KubernetesManifests.Single("Service");
    private readonly ManifestNode serviceMonitor = KubernetesManifests.Single("ServiceMonitor");

    [Fact]
    public void Service_selects_the_DaemonSet_pods_and_their_metrics_port()
    {
        var template = KubernetesManifests.Single("DaemonSet").Get("spec").Get("template");
        var podLabels = template.Get("metadata").Get("labels").ToStringMap();
        var container = template.Get("spec").Get("containers").Items.Single();

        Assert.Subset(podLabels.ToHashSet(), service.Get("spec").Get("selector").ToStringMap().ToHashSet());
        var port = service.Get("spec").Get("ports").Single("name", "metrics");
        Assert.Equal(container.Get("ports").Single("name", "metrics").Text("name"), port.Text("targetPort"));
    }

    [Fact]
    public void Service_monitor_selects_the_service_and_names_the_job_netfilter_exporter()
    {
        var serviceLabels = service.Get("metadata").Get("labels").ToStringMap();
        var spec = serviceMonitor.Get("spec");

        Assert.Subset(serviceLabels.ToHashSet(), spec.Get("selector").Get("matchLabels").ToStringMap().ToHashSet());
        // jobLabel names a Service label whose value becomes job; alerts and dashboards select job="netfilter-exporter".
        Assert.True(serviceLabels.TryGetValue(spec.Text("jobLabel"), out var job), $"{spec.Location}.jobLabel names no label of the Service");
        Assert.Equal("netfilter-exporter", job);
        var endpoint = spec.Get("endpoints").Items.Single();
        Assert.Equal(service.Get("spec").Get("ports").Single("name", "metrics").Text("name"), endpoint.Text("port"));
        Assert.Equal("/metrics", endpoint.Text("path"));
    }

    [Fact]
    public void Service_monitor_sets_instance_to_the_node_name()
    {
        var relabelings = serviceMonitor.Get("spec").Get("endpoints").Items.Single().Get("relabelings").Items;

        Assert.Contains(relabelings, rule =>
            rule.Get("sourceLabels").Items.Select(item => item.Value).SequenceEqual(["__meta_kubernetes_pod_node_name"])
            && rule.Text("targetLabel") == "instance"
            && (rule.OptionalText("action") ?? "replace").Equals("replace", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Service_monitor_carries_the_label_the_addons_Prometheus_selects()
    {
        Assert.Equal(AddonRelease, serviceMonitor.Get("metadata").Get("labels").Text("release"));
    }
}
