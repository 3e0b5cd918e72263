using System.Globalization;
using System.Text.RegularExpressions;
using NetfilterExporter.Configuration;
using NetfilterExporter.Cri;
using NetfilterExporter.WebConfig;

namespace NetfilterExporter.Deployment.Tests;

public sealed partial class DaemonSetTests
{
    private const int ExporterDefaultPort = 10066;

    private readonly ManifestNode podSpec = KubernetesManifests.Single("DaemonSet").Get("spec").Get("template").Get("spec");

    private ManifestNode Container => podSpec.Get("containers").Items.Single();

    private IReadOnlyList<string> Arguments => [.. Container.Get("args").Items.Select(item => item.Value)];

    [Fact]
    public void Runs_in_the_host_network_on_every_node()
    {
        Assert.Equal("true", podSpec.Text("hostNetwork"));
        Assert.NotEqual("true", podSpec.OptionalText("hostPID"));
        Assert.NotEqual("true", podSpec.OptionalText("hostIPC"));
        // An Exists toleration without key or effect tolerates every taint.
        Assert.Contains(podSpec.Get("tolerations").Items, toleration =>
            toleration.OptionalText("operator") == "Exists" && toleration.TryGet("key") is null && toleration.TryGet("effect") is null);
    }

    [Fact]
    public void Runs_as_root_with_only_the_two_network_capabilities()
    {
        var context = Container.Get("securityContext");

        Assert.Equal("0", context.Text("runAsUser"));
        Assert.Equal("false", context.Text("privileged"));
        Assert.Equal("false", context.Text("allowPrivilegeEscalation"));
        Assert.Equal("true", context.Text("readOnlyRootFilesystem"));
        var capabilities = context.Get("capabilities");
        Assert.Equal(["ALL"], capabilities.Get("drop").Items.Select(item => item.Value));
        Assert.Equal(["NET_ADMIN", "NET_RAW"], capabilities.Get("add").Items.Select(item => item.Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Uses_the_runtime_default_seccomp_profile()
    {
        Assert.Equal("RuntimeDefault", podSpec.Get("securityContext").Get("seccompProfile").Text("type"));
        Assert.Null(Container.Get("securityContext").TryGet("seccompProfile"));
    }

    [Fact]
    public void Does_not_mount_the_service_account_token()
    {
        // The exporter never talks to the API server.
        Assert.Equal("false", podSpec.Text("automountServiceAccountToken"));
    }

    [Theory]
    [InlineData("/proc", "--path.procfs")]
    [InlineData("/sys", "--path.sysfs")]
    [InlineData("/", "--path.rootfs")]
    public void Mounts_the_host_tree_read_only_under_host_and_passes_its_path(string hostPath, string flag)
    {
        var mount = MountOfHostPath(hostPath);
        var mountPath = mount.Text("mountPath");

        Assert.StartsWith("/host/", mountPath, StringComparison.Ordinal);
        Assert.Equal("true", mount.OptionalText("readOnly"));
        Assert.Contains($"{flag}={mountPath}", Arguments);
        if (hostPath == "/")
        {
            // Host mounts made after the pod started must become visible too, or the pod would see stale files.
            Assert.Equal("HostToContainer", mount.Text("mountPropagation"));
        }
    }

    [Fact]
    public void Mounts_every_host_path_read_only()
    {
        var hostVolumes = podSpec.Get("volumes").Items.Where(volume => volume.TryGet("hostPath") is not null).ToList();

        Assert.NotEmpty(hostVolumes);
        foreach (var volume in hostVolumes)
        {
            var mount = Container.Get("volumeMounts").Single("name", volume.Text("name"));
            Assert.True(mount.OptionalText("readOnly") == "true", $"{mount.Location} mounts a host path and must be readOnly: true");
        }
    }

    /// <summary>
    /// The runtime's CRI socket is found by --cri.endpoint=auto under --path.rootfs, through the host root mount
    /// (DaemonSetProcessTests connects through it): no flag and no volume of its own. A mount of the socket file
    /// would keep the socket that a runtime restart unlinks; one of the runtime's directory is redundant.
    /// </summary>
    [Fact]
    public void Reaches_the_runtime_socket_through_the_host_root_mount()
    {
        Assert.DoesNotContain(Arguments, argument => argument.StartsWith("--" + Flags.CriEndpoint, StringComparison.Ordinal));
        Assert.Equal("auto", Flags.All.Single(flag => flag.Name == Flags.CriEndpoint).Default);
        var hostPaths = podSpec.Get("volumes").Items.Select(volume => volume.TryGet("hostPath")?.OptionalText("path")).OfType<string>().ToList();
        Assert.NotEmpty(hostPaths);
        foreach (var socket in CriEndpoint.AutoCandidates)
        {
            var runtimeDirectory = socket[..socket.LastIndexOf('/')];
            Assert.DoesNotContain(hostPaths, path => path == socket || path.StartsWith(runtimeDirectory, StringComparison.Ordinal));
        }
        var root = MountOfHostPath("/");
        Assert.Equal("true", root.OptionalText("readOnly"));
        Assert.Equal("HostToContainer", root.Text("mountPropagation"));
    }

    [Fact]
    public void Shares_the_host_xtables_lock()
    {
        var volume = podSpec.Get("volumes").Items.Single(item => item.TryGet("hostPath")?.OptionalText("path") == "/run/xtables.lock");

        Assert.Equal("FileOrCreate", volume.Get("hostPath").Text("type"));
        Assert.Equal("/run/xtables.lock", Container.Get("volumeMounts").Single("name", volume.Text("name")).Text("mountPath"));
    }

    [Fact]
    public void Listens_on_the_node_ip_at_the_metrics_port()
    {
        var hostIp = Container.Get("env").Single("name", "HOST_IP");
        var port = Container.Get("ports").Single("name", "metrics");
        var containerPort = port.Text("containerPort");

        Assert.Equal("status.hostIP", hostIp.Get("valueFrom").Get("fieldRef").Text("fieldPath"));
        Assert.Equal(ExporterDefaultPort.ToString(CultureInfo.InvariantCulture), containerPort);
        Assert.Equal(containerPort, port.Text("hostPort"));
        // Kubernetes expands $(HOST_IP); brackets keep an IPv6 node address apart from the port.
        Assert.Contains($"--web.listen-address=[$(HOST_IP)]:{containerPort}", Arguments);
    }

    [Fact]
    public void Names_the_node_as_kubernetes_knows_it()
    {
        var nodeName = Container.Get("env").Single("name", "NODE_NAME");

        Assert.Equal("spec.nodeName", nodeName.Get("valueFrom").Get("fieldRef").Text("fieldPath"));
        Assert.Contains($"--{Flags.NodeName}=$(NODE_NAME)", Arguments);
    }

    [Theory]
    [InlineData("readinessProbe")]
    [InlineData("livenessProbe")]
    public void Probes_ask_healthz_on_the_metrics_port(string probe)
    {
        var request = Container.Get(probe).Get("httpGet");

        Assert.Equal("/healthz", request.Text("path"));
        Assert.Equal("metrics", request.Text("port"));
    }

    [Fact]
    public void Requests_resources_and_limits_memory_above_the_request()
    {
        var resources = Container.Get("resources");
        var requests = resources.Get("requests");

        Assert.False(string.IsNullOrEmpty(requests.Text("cpu")), requests.Location);
        Assert.True(Mebibytes(resources.Get("limits").Get("memory")) >= Mebibytes(requests.Get("memory")),
            $"{resources.Location}: the memory limit is below the request");
    }

    [Fact]
    public void Image_is_the_one_the_release_workflow_publishes_tagged_with_the_project_version()
    {
        var image = Container.Text("image");

        // A bare name would only run where someone imported an image of that name by hand.
        Assert.Equal("ghcr.io/netfilter-exporter/netfilter-exporter:" + ProjectProperties.Version, image);
        Assert.DoesNotContain(":latest", image, StringComparison.Ordinal);
    }

    [Fact]
    public void Collector_timeout_ends_before_Prometheus_gives_up_the_scrape()
    {
        // Otherwise a hung save command shows up as a failed scrape instead of netfilter_scrape_collector_success 0.
        var timeout = Arguments.Single(argument => argument.StartsWith("--collector.timeout=", StringComparison.Ordinal));
        var endpoint = KubernetesManifests.Single("ServiceMonitor").Get("spec").Get("endpoints").Items.Single();

        Assert.True(Duration(timeout["--collector.timeout=".Length..]) < Duration(endpoint.Text("scrapeTimeout")),
            $"{timeout} must be shorter than the ServiceMonitor's scrapeTimeout {endpoint.Text("scrapeTimeout")}");
    }

    private ManifestNode MountOfHostPath(string hostPath)
    {
        var volume = podSpec.Get("volumes").Items.Single(item => item.TryGet("hostPath")?.OptionalText("path") == hostPath);
        return Container.Get("volumeMounts").Single("name", volume.Text("name"));
    }

    private static double Mebibytes(ManifestNode quantity)
    {
        var match = QuantityPattern().Match(quantity.Value);
        Assert.True(match.Success, $"{quantity.Location}: '{quantity.Value}' is not a Ki/Mi/Gi quantity");
        var factor = match.Groups["unit"].Value switch { "Ki" => 1.0 / 1024, "Mi" => 1, _ => 1024 };
        return double.Parse(match.Groups["number"].Value, CultureInfo.InvariantCulture) * factor;
    }

    private static TimeSpan Duration(string text)
    {
        Assert.True(WebConfig.Duration.TryParse(text, DurationGrammar.Prometheus, out var duration), $"'{text}' is not a duration like 500ms, 8s or 1m");
        return duration;
    }

    [GeneratedRegex("^(?<number>[0-9]+(\\.[0-9]+)?)(?<unit>Ki|Mi|Gi)$")]
    private static partial Regex QuantityPattern();
}
