using System.Net;

namespace NetfilterExporter.Deployment.Tests;

/// <summary>
/// Runs what the kubelet would run for the DaemonSet: the Dockerfile's ENTRYPOINT with the container's exact
/// args, $(HOST_IP) expanded, as root with only the added capabilities and no_new_privs, in a network
/// namespace standing in for the node's host network. Two things are moved onto this machine and nothing
/// else: the executable under /app is the tests' AOT publish, and the hostPath mounts under /host are symlinks in a
/// temporary directory (<see cref="HostPathMountView"/>).
/// </summary>
public sealed class DaemonSetProcessTests
{
    // In the namespace, loopback plays the node's address that status.hostIP gives the pod.
    private const string NodeAddress = "127.0.0.1";

    // The image's base (ubuntu noble) PATH; the exporter finds the save commands on it.
    private const string ImagePath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private readonly Dockerfile _dockerfile = Dockerfile.Load();

    private readonly ManifestNode _podSpec = KubernetesManifests.Single("DaemonSet").Get("spec").Get("template").Get("spec");

    private ManifestNode Container => _podSpec.Get("containers").Items.Single();

    [Fact]
    public async Task TheContainerCommandServesTheProbesAndTheNodesDuplicateOnTheNodeAddress()
    {
        Prerequisites.RequireCommand("setpriv", "util-linux");
        var dump = await File.ReadAllTextAsync(RepositoryPaths.Combine("examples", "after-stop-start.legacy-ipv4.txt"), TestContext.Current.CancellationToken);
        await using var node = await NetworkNamespace.CreateAsync();
        await node.RestoreAsync("iptables-legacy-restore", dump);
        using var mounts = new HostPathMountView(_podSpec, Container);
        var containerEnvironment = ContainerEnvironment.Resolve(Container, NodeAddress);
        var arguments = Container.Get("args").Items.Select(argument => mounts.Map(KubernetesVariables.Expand(argument, containerEnvironment)));
        // The kubelet probes pod IP (the node's, with hostNetwork) at the named port's containerPort.
        var probed = new Uri($"http://{NodeAddress}:{Container.Get("ports").Single("name", "metrics").Text("containerPort")}/");

        await using var exporter = await ExactCommandExporter.StartAsync(
            node, [.. RootWithTheAddedCapabilities().Command(), .. Entrypoint(), .. arguments], probed, ImageEnvironment(containerEnvironment),
            TestContext.Current.CancellationToken);
        var readiness = await exporter.GetAsync(ProbePath("readinessProbe"), TestContext.Current.CancellationToken);
        var liveness = await exporter.GetAsync(ProbePath("livenessProbe"), TestContext.Current.CancellationToken);
        var scrape = await exporter.GetAsync("metrics", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, readiness.Status);
        Assert.Equal(HttpStatusCode.OK, liveness.Status);
        Assert.True(scrape.Status == HttpStatusCode.OK, $"/metrics answered {scrape.Status}:\n{scrape.Body}\n{exporter.Log}");
        var metrics = ScrapedMetrics.Parse(scrape.Body);
        Assert.True(metrics.Value("netfilter_scrape_collector_success", "collector=iptables_legacy_ipv4") == 1, $"iptables_legacy_ipv4 failed; exporter log:\n{exporter.Log}");
        Assert.Equal(1, metrics.Value("netfilter_hostport_dnat_duplicates", "backend=legacy", "family=ipv4", "protocol=tcp", "port=80"));
        // The conntrack collector reads --path.procfs, --path.sysfs and --path.rootfs: success shows the mounted
        // host paths resolve.
        Assert.True(metrics.Value("netfilter_scrape_collector_success", "collector=conntrack") == 1, $"conntrack failed; exporter log:\n{exporter.Log}");
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
        var entrypoint = Dockerfile.ExecForm(Dockerfile.All(_dockerfile.FinalStage, "ENTRYPOINT").Single());
        return [.. entrypoint.Select(word => word.StartsWith("/app/", StringComparison.Ordinal) ? Path.Combine(ExporterProcess.PublishedDirectory, Path.GetFileName(word)) : word)];
    }

    /// <summary>What the process sees in the container: the image's PATH and ENV, then the pod's env.</summary>
    private Dictionary<string, string> ImageEnvironment(IReadOnlyDictionary<string, string> containerEnvironment)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["PATH"] = ImagePath };
        foreach (var (name, value) in Dockerfile.Pairs(Dockerfile.All(_dockerfile.FinalStage, "ENV")).Concat(containerEnvironment))
        {
            environment[name] = value;
        }
        return environment;
    }

    private string ProbePath(string probe) => Container.Get(probe).Get("httpGet").Text("path").TrimStart('/');
}
