using System.Text;
using NetfilterExporter.Monitoring.Tests.Support;
using NetfilterExporter.TestSupport.Cri;

namespace NetfilterExporter.Monitoring.Tests.EndToEnd;

/// <summary>
/// Real parts in one network namespace of their own: the after-stop/start nat table loaded with iptables-legacy,
/// four exporters (that table; the same state read from its dump with a container runtime to ask, a fake CRI
/// runtime that lists only the new sandbox; and two conntrack fixture nodes), the Prometheus of a
/// <see cref="MonitoringParts"/> set with the project's rules, its Alertmanager with the example routing, and a
/// webhook receiver. Everything it started
/// is stopped and the namespace removed on dispose, also when start-up fails half way.
/// </summary>
public sealed class MonitoringStack : IAsyncDisposable
{
    public const string Job = "netfilter-exporter";
    public const string ScrapeInterval = "1s";
    public const string ShortenedFor = "3s";
    public const string GroupTiming = "1s";
    public const string AfterStopStartTarget = "127.0.0.1:10066";
    public const string NotLoadedTarget = "127.0.0.1:10067";
    public const string NotPersistentTarget = "127.0.0.1:10068";
    public const string StaleWinnerTarget = "127.0.0.1:10069";

    /// <summary>The sandbox of the claim behind the stale one in the after-stop/start dump: the pod started after `microk8s start`.</summary>
    public const string NewSandboxId = "d6437fe2be059268620ea6ecf9cbaa70fbce445e1a5358c974ceda661f4fda92";
    public const string NewPodNamespace = "ingress";
    public const string NewPodName = "nginx-ingress-microk8s-controller-x7k2p";
    private const string PrometheusTarget = "127.0.0.1:9090";
    private const string AlertmanagerTarget = "127.0.0.1:9093";

    private readonly Stack<Func<ValueTask>> cleanups;
    private readonly IReadOnlyList<ServerProcess> servers;

    private MonitoringStack(
        Stack<Func<ValueTask>> cleanups, MonitoringParts parts, NetworkNamespace ns, WebhookReceiver receiver, FakeCriRuntime runtime,
        PrometheusProcess prometheus, AlertmanagerProcess alertmanager, IReadOnlyList<ServerProcess> servers)
    {
        this.cleanups = cleanups;
        Parts = parts;
        Namespace = ns;
        Receiver = receiver;
        Runtime = runtime;
        Prometheus = prometheus;
        Alertmanager = alertmanager;
        this.servers = servers;
    }

    /// <summary>The Prometheus and Alertmanager it runs.</summary>
    public MonitoringParts Parts { get; }

    public NetworkNamespace Namespace { get; }

    public WebhookReceiver Receiver { get; }

    /// <summary>The container runtime the <see cref="StaleWinnerTarget"/> exporter asks: it lists only the new sandbox.</summary>
    public FakeCriRuntime Runtime { get; }

    public PrometheusProcess Prometheus { get; }

    public AlertmanagerProcess Alertmanager { get; }

    public static async Task<MonitoringStack> StartAsync(MonitoringParts parts, CancellationToken cancellationToken)
    {
        Prerequisites.RequireRoot();
        Prerequisites.RequireCommand("iptables-legacy", "iptables");

        var cleanups = new Stack<Func<ValueTask>>();
        var servers = new List<ServerProcess>();
        try
        {
            var directory = new TemporaryDirectory("nfx-e2e-");
            cleanups.Push(() =>
            {
                directory.Dispose();
                return ValueTask.CompletedTask;
            });
            var ns = await NetworkNamespace.CreateAsync();
            cleanups.Push(ns.DisposeAsync);
            await ns.RestoreAsync("iptables-legacy-restore", await File.ReadAllTextAsync(Example("after-stop-start.legacy-ipv4.txt"), cancellationToken));

            var receiver = await WebhookReceiver.StartAsync(ns, cancellationToken);
            cleanups.Push(receiver.DisposeAsync);

            // `microk8s stop` deleted the old sandbox behind CRI's back, so the runtime lists only the new one.
            // A socket path is reached through the file system, so the exporter inside the namespace connects to it.
            var runtime = await FakeCriRuntime.StartAsync(
                FakeCriBehaviour.Sandboxes(PodSandboxes.Ready(NewSandboxId, NewPodNamespace, NewPodName)), cancellationToken);
            cleanups.Push(runtime.DisposeAsync);

            async Task StartExporterAsync(string name, IEnumerable<string> arguments, string target)
            {
                var server = await ServerProcess.StartAsync(
                    name, ExporterProcess.BinaryPath, arguments, new Uri($"http://{target}/healthz"), ns, cancellationToken: cancellationToken);
                cleanups.Push(server.DisposeAsync);
                servers.Add(server);
            }

            await StartExporterAsync("exporter (after-stop-start rules)",
                ["--iptables.backends=legacy", "--iptables.families=ipv4", "--collector.min-interval=1s", .. ConntrackFlags("persistent-etc"), $"--web.listen-address={AfterStopStartTarget}"], AfterStopStartTarget);
            // The node that got there runs a MicroK8s build whose stop removes containers without a flush (#4755, no #4963).
            var exposedNode = directory.Combine("exposed-node");
            FixtureTree.Copy(RepositoryPaths.Combine("tests", "Fixtures", "conntrack", "persistent-etc"), exposedNode);
            FixtureTree.Copy(RepositoryPaths.Combine("tests", "Fixtures", "microk8s", "classic-4755", "rootfs"), Path.Join(exposedNode, "rootfs"));
            await StartExporterAsync("exporter (after-stop-start dump, container runtime lists the new sandbox only, exposed MicroK8s build)",
                [$"--iptables.from-file={Example("after-stop-start.legacy-ipv4.txt")}", $"--cri.endpoint={runtime.Endpoint}", "--collector.min-interval=1s",
                 $"--path.procfs={exposedNode}/proc", $"--path.sysfs={exposedNode}/sys", $"--path.rootfs={exposedNode}/rootfs", $"--web.listen-address={StaleWinnerTarget}"], StaleWinnerTarget);
            await StartExporterAsync("exporter (nf_conntrack not loaded)",
                [$"--iptables.from-file={Example("healthy.legacy-ipv4.txt")}", "--collector.min-interval=1s", .. ConntrackFlags("not-loaded"), $"--web.listen-address={NotLoadedTarget}"], NotLoadedTarget);
            await StartExporterAsync("exporter (nf_conntrack not persistent)",
                [$"--iptables.from-file={Example("healthy.legacy-ipv4.txt")}", "--collector.min-interval=1s", .. ConntrackFlags("loaded-not-persistent"), $"--web.listen-address={NotPersistentTarget}"], NotPersistentTarget);

            var alertmanager = await AlertmanagerProcess.StartAsync(
                TestAlertmanagerConfig.Derive(MonitoringFiles.AlertmanagerConfig, GroupTiming, receiver.BaseAddress), AlertmanagerTarget, ns, cancellationToken, parts);
            cleanups.Push(alertmanager.DisposeAsync);

            var rules = directory.Combine("netfilter-exporter.rules.yml");
            await File.WriteAllTextAsync(rules, TestRuleFile.Derive(MonitoringFiles.RulesFile, ShortenedFor), cancellationToken);
            var prometheus = await PrometheusProcess.StartAsync(
                TestPrometheusConfig.Derive(MonitoringFiles.PrometheusConfig, Job, ScrapeInterval, rules, AlertmanagerTarget, [AfterStopStartTarget, StaleWinnerTarget, NotLoadedTarget, NotPersistentTarget]),
                PrometheusTarget,
                ns,
                cancellationToken,
                parts);
            cleanups.Push(prometheus.DisposeAsync);

            return new MonitoringStack(cleanups, parts, ns, receiver, runtime, prometheus, alertmanager, servers);
        }
        catch
        {
            await CleanUpAsync(cleanups);
            throw;
        }
    }

    /// <summary>The receiver's record and every server's log, for a failure message.</summary>
    public string Describe()
    {
        var text = new StringBuilder(Parts.Describe()).Append('\n').Append(Receiver.Describe());
        text.Append(Runtime).Append(": ").Append(Runtime.ListPodSandboxCalls).Append(" ListPodSandbox call(s)\n");
        foreach (var server in servers)
        {
            text.Append("--- ").Append(server.Name).Append(" log:\n").Append(server.Log);
        }
        text.Append("--- alertmanager log:\n").Append(Alertmanager.Log);
        text.Append("--- prometheus log:\n").Append(Prometheus.Log);
        return text.ToString();
    }

    public ValueTask DisposeAsync() => CleanUpAsync(cleanups);

    private static string Example(string name) => RepositoryPaths.Combine("examples", name);

    private static string[] ConntrackFlags(string fixture)
    {
        var node = RepositoryPaths.Combine("tests", "Fixtures", "conntrack", fixture);
        return [$"--path.procfs={node}/proc", $"--path.sysfs={node}/sys", $"--path.rootfs={node}/rootfs"];
    }

    /// <summary>Undoes start-up in reverse order; one failing step does not keep the others (or the namespace) alive.</summary>
    private static async ValueTask CleanUpAsync(Stack<Func<ValueTask>> cleanups)
    {
        var failures = new List<Exception>();
        while (cleanups.TryPop(out var cleanup))
        {
            try
            {
                await cleanup();
            }
            catch (Exception exception)
            {
                failures.Add(exception);
            }
        }
        if (failures.Count > 0)
        {
            throw new AggregateException("cleaning up the end-to-end stack failed", failures);
        }
    }
}
