using NetfilterExporter.Configuration;
using NetfilterExporter.Cri;
using NetfilterExporter.WebConfig;
using System.Globalization;
using System.Text.RegularExpressions;

namespace NetfilterExporter.Deployment.Tests;

public sealed partial class DaemonSetTests
{
    private const int ExporterDefaultPort = 10066;

    private readonly ManifestNode _podSpec = KubernetesManifests.Single("DaemonSet").Get("spec").Get("template").Get("spec");

    private ManifestNode Container => _podSpec.Get("containers").Items.Single();

    private IReadOnlyList<string> Arguments => [.. Container.Get("args").Items.Select(item => item.Value)];

    [Fact]
    public void RunsInTheHostNetworkOnEveryNode()
    {
        Assert.Equal("true", _podSpec.Text("hostNetwork"));
        Assert.NotEqual("true", _podSpec.OptionalText("hostPID"));
        Assert.NotEqual("true", _podSpec.OptionalText("hostIPC"));
        // An Exists toleration without key or effect tolerates every taint.
        Assert.Contains(_podSpec.Get("tolerations").Items, toleration =>
            toleration.OptionalText("operator") == "Exists" && toleration.TryGet("key") is null && toleration.TryGet("effect") is null);
    }

    [Fact]
    public void RunsAsRootWithOnlyTheTwoNetworkCapabilities()
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
    public void UsesTheRuntimeDefaultSeccompProfile()
    {
        Assert.Equal("RuntimeDefault", _podSpec.Get("securityContext").Get("seccompProfile").Text("type"));
        Assert.Null(Container.Get("securityContext").TryGet("seccompProfile"));
    }

    [Fact]
    public void DoesNotMountTheServiceAccountToken()
    {
        // The exporter never talks to the API server.
        Assert.Equal("false", _podSpec.Text("automountServiceAccountToken"));
    }

    [Theory]
    [InlineData("/proc", "--path.procfs")]
    [InlineData("/sys", "--path.sysfs")]
    [InlineData("/", "--path.rootfs")]
    public void MountsTheHostTreeReadOnlyUnderHostAndPassesItsPath(string hostPath, string flag)
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
    public void MountsEveryHostPathReadOnly()
    {
        var hostVolumes = _podSpec.Get("volumes").Items.Where(volume => volume.TryGet("hostPath") is not null).ToList();

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
    public void ReachesTheRuntimeSocketThroughTheHostRootMount()
    {
        Assert.DoesNotContain(Arguments, argument => argument.StartsWith("--" + Flags.CriEndpoint, StringComparison.Ordinal));
        Assert.Equal("auto", Flags.All.Single(flag => flag.Name == Flags.CriEndpoint).Default);
        var hostPaths = _podSpec.Get("volumes").Items.Select(volume => volume.TryGet("hostPath")?.OptionalText("path")).OfType<string>().ToList();
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
    public void SharesTheHostXtablesLock()
    {
        var volume = _podSpec.Get("volumes").Items.Single(item => item.TryGet("hostPath")?.OptionalText("path") == "/run/xtables.lock");

        Assert.Equal("FileOrCreate", volume.Get("hostPath").Text("type"));
        Assert.Equal("/run/xtables.lock", Container.Get("volumeMounts").Single("name", volume.Text("name")).Text("mountPath"));
    }

    [Fact]
    public void ListensOnTheNodeIpAtTheMetricsPort()
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
    public void NamesTheNodeAsKubernetesKnowsIt()
    {
        var nodeName = Container.Get("env").Single("name", "NODE_NAME");

        Assert.Equal("spec.nodeName", nodeName.Get("valueFrom").Get("fieldRef").Text("fieldPath"));
        Assert.Contains($"--{Flags.NodeName}=$(NODE_NAME)", Arguments);
    }

    [Theory]
    [InlineData("readinessProbe")]
    [InlineData("livenessProbe")]
    public void ProbesAskHealthzOnTheMetricsPort(string probe)
    {
        var request = Container.Get(probe).Get("httpGet");

        Assert.Equal("/healthz", request.Text("path"));
        Assert.Equal("metrics", request.Text("port"));
    }

    [Fact]
    public void RequestsResourcesAndLimitsMemoryAboveTheRequest()
    {
        var resources = Container.Get("resources");
        var requests = resources.Get("requests");

        Assert.False(string.IsNullOrEmpty(requests.Text("cpu")), requests.Location);
        Assert.True(Mebibytes(resources.Get("limits").Get("memory")) >= Mebibytes(requests.Get("memory")),
            $"{resources.Location}: the memory limit is below the request");
    }

    [Fact]
    public void ImageTagIsTheProjectVersion()
    {
        var image = Container.Text("image");

        Assert.EndsWith(":" + ProjectProperties.Version, image, StringComparison.Ordinal);
        Assert.DoesNotContain(":latest", image, StringComparison.Ordinal);
    }

    [Fact]
    public void CollectorTimeoutEndsBeforePrometheusGivesUpTheScrape()
    {
        // Otherwise a hung save command shows up as a failed scrape instead of netfilter_scrape_collector_success 0.
        var timeout = Arguments.Single(argument => argument.StartsWith("--collector.timeout=", StringComparison.Ordinal));
        var endpoint = KubernetesManifests.Single("ServiceMonitor").Get("spec").Get("endpoints").Items.Single();

        Assert.True(Duration(timeout["--collector.timeout=".Length..]) < Duration(endpoint.Text("scrapeTimeout")),
            $"{timeout} must be shorter than the ServiceMonitor's scrapeTimeout {endpoint.Text("scrapeTimeout")}");
    }

    private ManifestNode MountOfHostPath(string hostPath)
    {
        var volume = _podSpec.Get("volumes").Items.Single(item => item.TryGet("hostPath")?.OptionalText("path") == hostPath);
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
