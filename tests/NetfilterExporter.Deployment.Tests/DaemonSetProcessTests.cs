using System.Net;
using System.Runtime.Versioning;
using NetfilterExporter.Configuration;
using NetfilterExporter.TestSupport.Cri;

namespace NetfilterExporter.Deployment.Tests;

/// <summary>
/// Runs what the kubelet would run for the DaemonSet: the Dockerfile's ENTRYPOINT with the container's exact
/// args, $(HOST_IP) expanded, as root with only the added capabilities and no_new_privs, in a network
/// namespace standing in for the node's host network. Two things are moved onto this machine and nothing
/// else: the executable under /app is the tests' AOT publish, and the hostPath volumes are bind mounts under a
/// temporary directory in a mount namespace of the exporter's own (<see cref="HostPathMountView"/>).
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class DaemonSetProcessTests
{
    // In the namespace, loopback plays the node's address that status.hostIP gives the pod.
    private const string NodeAddress = "127.0.0.1";

    // The image's base (ubuntu noble) PATH; the exporter finds the save commands on it.
    private const string ImagePath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    // The sandbox ids of examples/after-stop-start: the stale claim wins port 80, the live one is shadowed.
    private const string OldIngress = "4b42590d177e8116d1fd471bbc720e9491abd9163a1509fd7252af646e803cbf";
    private const string NewIngress = "d6437fe2be059268620ea6ecf9cbaa70fbce445e1a5358c974ceda661f4fda92";
    private const string NewIngressPod = "nginx-ingress-microk8s-controller-9xk2d";
    private const string CalicoNode = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

    // Well beyond the exporter's default --collector.min-interval (5 s), which the DaemonSet keeps: by then a scrape
    // starts a new collection.
    private static readonly TimeSpan NewCollectionLimit = TimeSpan.FromSeconds(30);

    private readonly Dockerfile dockerfile = Dockerfile.Load();

    private readonly ManifestNode podSpec = KubernetesManifests.DaemonSetPodSpec();

    private ManifestNode Container => podSpec.Get("containers").Items.Single();

    [Fact]
    public async Task The_container_command_serves_the_probes_and_the_nodes_duplicate_on_the_node_address()
    {
        await using var node = await NodeWithTheStopStartDuplicateAsync();
        using var mounts = new HostPathMountView(podSpec, Container);
        await using var exporter = await StartContainerAsync(node, mounts, []);
        var readiness = await exporter.GetAsync(ProbePath("readinessProbe"), TestContext.Current.CancellationToken);
        var liveness = await exporter.GetAsync(ProbePath("livenessProbe"), TestContext.Current.CancellationToken);
        var metrics = await ScrapeAsync(exporter);

        Assert.Equal(HttpStatusCode.OK, readiness.Status);
        Assert.Equal(HttpStatusCode.OK, liveness.Status);
        Assert.True(metrics.Value("netfilter_scrape_collector_success", "collector=iptables_legacy_ipv4") == 1, $"iptables_legacy_ipv4 failed; exporter log:\n{exporter.Log}");
        Assert.Equal(1, metrics.Value("netfilter_hostport_dnat_duplicates", "backend=legacy", "family=ipv4", "protocol=tcp", "port=80"));
        // The conntrack collector reads --path.procfs, --path.sysfs and --path.rootfs: success shows the mounted
        // host paths resolve.
        Assert.True(metrics.Value("netfilter_scrape_collector_success", "collector=conntrack") == 1, $"conntrack failed; exporter log:\n{exporter.Log}");
    }

    /// <summary>
    /// --cri.endpoint is left at auto, and the socket is where the runtime puts it on the node: the exporter finds it
    /// under --path.rootfs, through the read-only host root mount. The MicroK8s socket is on the node's root file
    /// system, so in the pod it is on the read-only mount and connect() works all the same; /run is a file system
    /// of its own, carried by the recursive bind and, as runc remounts only the top mount read-only, writable.
    /// CRI-O's /var/run/crio/crio.sock is reached through the node's /var/run -> /run link, followed inside the root.
    /// </summary>
    [Theory]
    [InlineData("/var/snap/microk8s/common/run/containerd.sock", "/var/snap/microk8s/common/run/containerd.sock", "read-only")]
    [InlineData("/run/containerd/containerd.sock", "/run/containerd/containerd.sock", "writable")]
    [InlineData("/run/k3s/containerd/containerd.sock", "/run/k3s/containerd/containerd.sock", "writable")]
    [InlineData("/var/run/crio/crio.sock", "/run/crio/crio.sock", "writable")]
    public async Task The_container_command_asks_the_runtime_whose_socket_is_under_the_host_root_mount(string candidate, string socket, string socketDirectoryInThePod)
    {
        Assert.Contains(candidate, CriEndpoint.AutoCandidates);
        Assert.DoesNotContain(Container.Get("args").Items, argument => argument.Value.StartsWith("--" + NetfilterExporter.Configuration.Flags.CriEndpoint, StringComparison.Ordinal));
        using var nodeRoot = new NodeRootReplica();
        nodeRoot.Create(Path.GetDirectoryName(socket)!);
        await using var runtime = await FakeCriRuntime.StartAtAsync(nodeRoot.HostPathOf(socket), FakeCriBehaviour.Sandboxes(PodSandboxes.Ready(NewIngress, "ingress", NewIngressPod), PodSandboxes.Ready(CalicoNode, "kube-system", "calico-node-7hj5k")),
            TestContext.Current.CancellationToken);
        await using var node = await NodeWithTheStopStartDuplicateAsync();
        using var mounts = new HostPathMountView(podSpec, Container, nodeRoot);
        var socketDirectory = KubernetesManifests.HostRootMountPath() + Path.GetDirectoryName(socket);

        await using var exporter = await StartContainerAsync(node, mounts, [socketDirectory]);
        var metrics = await ScrapeAsync(exporter);

        Assert.Contains($"mount view: {socketDirectory} is {socketDirectoryInThePod}", exporter.Log, StringComparison.Ordinal);
        Assert.True(metrics.Value("netfilter_scrape_collector_success", "collector=cri") == 1, $"cri failed; exporter log:\n{exporter.Log}");
        Assert.True(runtime.ListPodSandboxCalls >= 1, $"{socket} was never asked");
        Assert.Equal(2, metrics.Value("netfilter_cri_sandboxes", "state=ready"));
        Assert.Equal(0, metrics.Value("netfilter_cri_sandboxes", "state=notready"));
        string[] port80 = ["backend=legacy", "family=ipv4", "protocol=tcp", "port=80"];
        Assert.Equal(1, metrics.Value("netfilter_hostport_dnat_rule_info", [.. port80, "position=1", $"container_id={OldIngress}", "state=stale", "pod_namespace=", "pod_name="]));
        Assert.Equal(1, metrics.Value("netfilter_hostport_dnat_rule_info", [.. port80, "position=2", $"container_id={NewIngress}", "state=live", "pod_namespace=ingress", $"pod_name={NewIngressPod}"]));
        Assert.Equal(1, metrics.Value("netfilter_hostport_winner_stale", port80));
    }

    /// <summary>
    /// A containerd restart removes its socket and creates a new one at the same path. The pod mounts the host's
    /// tree, not the socket file, so the next collection reaches the new runtime without a pod restart.
    /// </summary>
    [Fact]
    public async Task A_runtime_restart_that_re_creates_the_socket_is_seen_without_restarting_the_pod()
    {
        const string socket = "/run/containerd/containerd.sock";
        using var nodeRoot = new NodeRootReplica();
        nodeRoot.Create(Path.GetDirectoryName(socket)!);
        await using var node = await NodeWithTheStopStartDuplicateAsync();
        using var mounts = new HostPathMountView(podSpec, Container, nodeRoot);
        await using var exporter = await StartContainerAsync(node, mounts, []);
        var before = await FakeCriRuntime.StartAtAsync(nodeRoot.HostPathOf(socket), FakeCriBehaviour.Sandboxes(PodSandboxes.Ready(NewIngress, "ingress", NewIngressPod)),
            TestContext.Current.CancellationToken);
        try
        {
            var first = await ScrapeAsync(exporter);
            Assert.True(first.Value("netfilter_scrape_collector_success", "collector=cri") == 1, $"cri failed; exporter log:\n{exporter.Log}");
            Assert.Equal(1, first.Value("netfilter_cri_sandboxes", "state=ready"));
        }
        finally
        {
            await before.DisposeAsync();
        }
        Assert.False(File.Exists(nodeRoot.HostPathOf(socket)), "the stopped runtime left its socket");

        await using var after = await FakeCriRuntime.StartAtAsync(nodeRoot.HostPathOf(socket), FakeCriBehaviour.Sandboxes(PodSandboxes.Ready(NewIngress, "ingress", NewIngressPod), PodSandboxes.Ready(CalicoNode, "kube-system", "calico-node-7hj5k")), TestContext.Current.CancellationToken);
        ScrapedMetrics metrics = null!;
        await Poll.WhetherAsync(
            NewCollectionLimit,
            async _ =>
            {
                metrics = await ScrapeAsync(exporter);
                return after.ListPodSandboxCalls > 0;
            },
            TimeSpan.FromMilliseconds(500),
            TestContext.Current.CancellationToken);

        Assert.True(after.ListPodSandboxCalls >= 1, $"the re-created socket was not asked within {NewCollectionLimit.TotalSeconds} s; exporter log:\n{exporter.Log}");
        Assert.True(metrics.Value("netfilter_scrape_collector_success", "collector=cri") == 1, $"cri failed after the restart; exporter log:\n{exporter.Log}");
        Assert.Equal(2, metrics.Value("netfilter_cri_sandboxes", "state=ready"));
    }

    private static async Task<NetworkNamespace> NodeWithTheStopStartDuplicateAsync()
    {
        Prerequisites.RequireCommand("setpriv", "util-linux");
        Prerequisites.RequireCommand("unshare", "util-linux");
        var dump = await File.ReadAllTextAsync(RepositoryPaths.Combine("examples", "after-stop-start.legacy-ipv4.txt"), TestContext.Current.CancellationToken);
        var node = await NetworkNamespace.CreateAsync();
        try
        {
            await node.RestoreAsync("iptables-legacy-restore", dump);
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
        return node;
    }

    /// <summary>The container's command in <paramref name="node"/>, inside the volume mounts of <paramref name="mounts"/>.</summary>
    private async Task<ExactCommandExporter> StartContainerAsync(NetworkNamespace node, HostPathMountView mounts, string[] reportWritable)
    {
        var containerEnvironment = ContainerEnvironment.Resolve(Container, NodeAddress);
        var arguments = Container.Get("args").Items.Select(argument => mounts.Map(KubernetesVariables.Expand(argument, containerEnvironment)));
        // The kubelet probes pod IP (the node's, with hostNetwork) at the named port's containerPort.
        var probed = new Uri($"http://{NodeAddress}:{Container.Get("ports").Single("name", "metrics").Text("containerPort")}/");
        return await ExactCommandExporter.StartAsync(
            node, mounts.Around([.. RootWithTheAddedCapabilities().Command(), .. Entrypoint(), .. arguments], reportWritable), probed,
            ImageEnvironment(containerEnvironment), TestContext.Current.CancellationToken);
    }

    private static async Task<ScrapedMetrics> ScrapeAsync(ExactCommandExporter exporter)
    {
        var scrape = await exporter.GetAsync("metrics", TestContext.Current.CancellationToken);
        Assert.True(scrape.Status == HttpStatusCode.OK, $"/metrics answered {scrape.Status}:\n{scrape.Body}\n{exporter.Log}");
        return ScrapedMetrics.Parse(scrape.Body);
    }

    /// <summary>runAsUser 0 with capabilities drop ALL, add as listed; allowPrivilegeEscalation false is no_new_privs.</summary>
    private SetprivWrapper RootWithTheAddedCapabilities()
    {
        var context = Container.Get("securityContext");
        if (context.Text("runAsUser") != "0" || context.Get("capabilities").Get("drop").Items.Select(item => item.Value).SingleOrDefault() != "ALL")
        {
            throw new ManifestException($"{context.Location}: the test reproduces runAsUser 0 with drop [ALL]; extend {nameof(DaemonSetProcessTests)} for anything else");
        }
        var added = context.Get("capabilities").Get("add").Items.Select(item => item.Value).ToList();
        return new SetprivWrapper(null, added, context.Text("allowPrivilegeEscalation") == "false");
    }

    /// <summary>The Dockerfile's ENTRYPOINT, its executable taken from the tests' AOT publish instead of /app.</summary>
    private IReadOnlyList<string> Entrypoint()
    {
        var entrypoint = Dockerfile.ExecForm(Dockerfile.All(dockerfile.FinalStage, "ENTRYPOINT").Single());
        return [.. entrypoint.Select(word => word.StartsWith("/app/", StringComparison.Ordinal) ? Path.Combine(ExporterProcess.PublishedDirectory, Path.GetFileName(word)) : word)];
    }

    /// <summary>What the process sees in the container: the image's PATH and ENV, then the pod's env.</summary>
    private Dictionary<string, string> ImageEnvironment(IReadOnlyDictionary<string, string> containerEnvironment)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["PATH"] = ImagePath };
        foreach (var (name, value) in Dockerfile.Pairs(Dockerfile.All(dockerfile.FinalStage, "ENV")).Concat(containerEnvironment))
        {
            environment[name] = value;
        }
        return environment;
    }

    private string ProbePath(string probe) => Container.Get(probe).Get("httpGet").Text("path").TrimStart('/');
}
