using System.Globalization;
using System.Net;
using System.Text.Json;

namespace NetfilterExporter.Deployment.Tests.Image;

/// <summary>
/// The image as it ships: built from the Dockerfile with podman (<see cref="BuiltImage"/>), imported into a real
/// containerd as `microk8s ctr image import` does, and run through CRI the way deploy/kubernetes specifies it
/// (<see cref="DaemonSetCriPod"/>), on a node where MicroK8s' stop/start was replayed with real pods and portmap.
/// </summary>
public sealed class ContainerImageTests(BuiltImage image) : IClassFixture<BuiltImage>
{
    private static readonly (int HostPort, int ContainerPort)[] IngressPorts = [(80, 8080), (443, 8443)];
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The image the DaemonSet runs, which the release workflow publishes.</summary>
    private static string DaemonSetImage => KubernetesManifests.DaemonSetContainer().Text("image");

    [Fact]
    public async Task The_archive_holds_one_linux_amd64_image_named_as_the_DaemonSet_runs_it_with_its_version_and_revision()
    {
        var archive = await OciArchive.ReadAsync(image.Archive, TestContext.Current.CancellationToken);

        Assert.Equal(DaemonSetImage, archive.ReferenceName);
        Assert.Equal(("linux", "amd64"), (archive.Os, archive.Architecture));
        Assert.Equal(ProjectProperties.Version, archive.Labels["org.opencontainers.image.version"]);
        Assert.Equal(image.Revision, archive.Labels["org.opencontainers.image.revision"]);
        Assert.Equal(ImageBases.Runtime.Replace("{arch}", "amd64", StringComparison.Ordinal), archive.Labels["org.opencontainers.image.base.name"]);
        Assert.Equal(["/app/netfilter-exporter"], archive.Entrypoint);
        // Compressed as a registry serves them.
        Assert.NotEmpty(archive.LayerMediaTypes);
        Assert.All(archive.LayerMediaTypes, type => Assert.EndsWith("+gzip", type, StringComparison.Ordinal));
        TestContext.Current.SendDiagnosticMessage(
            $"image size: {image.ImageBytes.ToString(CultureInfo.InvariantCulture)} bytes (podman, uncompressed); archive {new FileInfo(image.Archive).Length.ToString(CultureInfo.InvariantCulture)} bytes");
    }

    /// <summary>
    /// The node's rules are read in the node's network namespace (hostNetwork), the runtime socket and the
    /// module configuration through the read-only host root mount, with nothing but NET_ADMIN and NET_RAW.
    /// The one departure from the manifest: --cri.endpoint names the test node's socket under the host root mount,
    /// since a test cannot put a runtime at MicroK8s' own path on a shared machine.
    /// </summary>
    [Theory]
    [InlineData(NodeParts.Debian12)]
    [InlineData(NodeParts.TodayIptables)]
    public async Task Run_through_CRI_as_the_DaemonSet_specifies_it_names_the_stale_claim_that_wins_the_port_and_check_agrees(string partsName)
    {
        var token = TestContext.Current.CancellationToken;
        await using var sharedRoot = await SharedRootMount.EnsureAsync();
        await using var node = await ContainerdNode.StartAsync(await NodeParts.RequireAsync(partsName), token);
        using var podDirectory = new TemporaryDirectory("nfx-pod-");
        var hostRoot = KubernetesManifests.HostRootMountPath();
        var criEndpoint = $"--cri.endpoint=unix://{hostRoot}{node.SocketPath}";
        using var pod = new DaemonSetCriPod(ContainerdNode.GatewayAddress, podDirectory.Path, [criEndpoint]);

        var images = await node.ImportImageAsync(image.Archive, token);
        Assert.Contains(pod.ImageName, images);

        var old = await node.RunHostPortPodAsync("ingress", "nginx-ingress-microk8s-controller-4tq8z", IngressPorts, token);
        await node.ReplayMicroK8sStopAsync(token);
        await node.StartContainerdAsync(token);
        var current = await node.RunHostPortPodAsync("ingress", "nginx-ingress-microk8s-controller-9xk2d", IngressPorts, token);
        var containerId = await pod.RunAsync(node, token);

        using var client = node.Namespace.CreateHttpClient(TimeSpan.FromSeconds(10));
        var baseUri = new Uri($"http://{ContainerdNode.GatewayAddress}:{pod.Port("metrics")}");
        await Poll.UntilAsync(
            "the readiness probe to answer 200",
            ReadyTimeout,
            async probeToken =>
            {
                try
                {
                    using var response = await client.GetAsync(new Uri(baseUri, pod.ProbePath("readinessProbe")), probeToken);
                    return response.StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            pod.Log,
            TimeSpan.FromMilliseconds(200),
            token);
        using var liveness = await client.GetAsync(new Uri(baseUri, pod.ProbePath("livenessProbe")), token);
        // Several scrapes: a trimmer bug once made every other scrape of a trimmed build hang (dotnet/runtime#131088).
        var scrapes = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            scrapes.Add(await client.GetStringAsync(new Uri(baseUri, "/metrics"), token));
        }
        var metrics = ScrapedMetrics.Parse(scrapes[^1]);

        Assert.Equal(HttpStatusCode.OK, liveness.StatusCode);
        foreach (var collector in new[] { "iptables_legacy_ipv4", "cri", "conntrack" })
        {
            Assert.True(metrics.Value("netfilter_scrape_collector_success", $"collector={collector}") == 1, $"{collector} failed in the container; its log:\n{pod.Log()}");
        }
        Assert.Equal(1, metrics.Value("netfilter_exporter_build_info", $"version={ProjectProperties.Version}", $"revision={image.Revision}"));
        Assert.Equal(1, metrics.Value("netfilter_hostport_winner_stale", "port=80"));
        var winner = Assert.Single(metrics.Find("netfilter_hostport_dnat_rule_info", "port=80", "position=1"));
        Assert.Equal((old.SandboxId, "stale"), (winner.Labels["container_id"], winner.Labels["state"]));
        var shadowed = Assert.Single(metrics.Find("netfilter_hostport_dnat_rule_info", "port=80", "position=2"));
        Assert.Equal((current.SandboxId, "live", "nginx-ingress-microk8s-controller-9xk2d"), (shadowed.Labels["container_id"], shadowed.Labels["state"], shadowed.Labels["pod_name"]));

        // check, run inside the container as a person would with kubectl exec, with the pod's own paths.
        string[] pathFlags = [.. pod.ContainerConfig.Args.Where(argument => argument.StartsWith("--path.", StringComparison.Ordinal))];
        Assert.Equal(3, pathFlags.Length);
        var check = await node.ExecSyncAsync(containerId, ["/app/netfilter-exporter", "check", "--output=json", .. pathFlags, criEndpoint], TimeSpan.FromSeconds(60), token);
        Assert.True(check.ExitCode == 1, $"check exited {check.ExitCode}:\n{check.StandardOutput}\n{check.StandardError}");
        using var report = JsonDocument.Parse(check.StandardOutput);
        var stale = Assert.Single(report.RootElement.GetProperty("findings").EnumerateArray(), finding => finding.GetProperty("id").GetString() == "hostport-stale-claim");
        Assert.Contains($"sandbox {old.SandboxId[..12]}", stale.GetProperty("summary").GetString(), StringComparison.Ordinal);

        // Native AOT: runtime-deps has no .NET runtime, and the image carries the one executable and nothing else.
        Assert.Equal("netfilter-exporter\n", (await node.ExecSyncAsync(containerId, ["ls", "-A", "/app"], TimeSpan.FromSeconds(30), token)).StandardOutput);
        var version = await node.ExecSyncAsync(containerId, ["/app/netfilter-exporter", "--version"], TimeSpan.FromSeconds(30), token);
        Assert.StartsWith($"netfilter-exporter {ProjectProperties.Version} (revision {image.Revision},", version.StandardOutput, StringComparison.Ordinal);

        // What the pod may do: NET_ADMIN (bit 12) and NET_RAW (bit 13) and nothing else, under the runtime's seccomp
        // filter (mode 2), and no writes to its root or the host's.
        var status = await node.ExecSyncAsync(containerId, ["grep", "-E", "^(CapEff|CapBnd|NoNewPrivs|Seccomp):", "/proc/self/status"], TimeSpan.FromSeconds(30), token);
        Assert.Equal("CapEff:\t0000000000003000\nCapBnd:\t0000000000003000\nNoNewPrivs:\t1\nSeccomp:\t2\n", status.StandardOutput);
        foreach (var path in new[] { "/app/written-by-test", hostRoot + "/written-by-test", hostRoot + "/etc/written-by-test" })
        {
            var write = await node.ExecSyncAsync(containerId, ["touch", path], TimeSpan.FromSeconds(30), token);
            Assert.True(write.ExitCode != 0 && write.StandardError.Contains("Read-only file system", StringComparison.Ordinal), $"touch {path}: exit {write.ExitCode} {write.StandardError}");
        }
        Assert.False(File.Exists("/written-by-test"));
    }

}
