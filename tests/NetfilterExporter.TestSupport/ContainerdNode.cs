using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Grpc.Core;
using Grpc.Net.Client;
using NetfilterExporter.TestSupport.Cri;

namespace NetfilterExporter.TestSupport;

/// <summary>
/// A Kubernetes node's container runtime, for real: containerd with its CRI plugin, runc, and the CNI bridge,
/// host-local and portmap plugins of one set of <see cref="NodeParts"/>, running in a "node" network namespace of its
/// own with MicroK8s' legacy iptables first on PATH, so pods get real veths, real addresses and real host port rules
/// (CNI-HOSTPORT-DNAT, or portmap's nftables table ip cni_hostport with its nftables backend). Everything it
/// keeps is under a private directory (see <see cref="ContainerdNodeFiles"/>); what containerd and its shims put
/// elsewhere on the machine (shim sockets, libcni's result cache, cgroups) is tracked and removed on dispose,
/// which always runs and leaves nothing behind, also after a failed test (reference/real-node.md).
/// </summary>
public sealed class ContainerdNode : IAsyncDisposable
{
    public const string NetworkName = "k8s-pod-network";
    public const string BridgeName = "cni0";
    public const string Subnet = "10.1.76.0/24";

    /// <summary>The bridge's address: a local address of the node namespace, so connecting to it from the node goes through OUTPUT and CNI-HOSTPORT-DNAT.</summary>
    public const string GatewayAddress = "10.1.76.1";

    public const string SandboxImage = "localhost/netfilter-exporter-test/pause:1";
    private const string CriNamespace = "k8s.io";
    private const string ShimSocketDirectory = "/run/containerd/s";
    private const string CniCacheDirectory = "/var/lib/cni";
    private const string CgroupRoot = "/sys/fs/cgroup";
    private static readonly string[] LegacyTools = ["iptables", "iptables-save", "iptables-restore", "ip6tables", "ip6tables-save", "ip6tables-restore"];
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The deadline of a held RunPodSandbox: longer than the hold plugin waits, so the plugin gives up first and says why.</summary>
    private static readonly TimeSpan HeldRunDeadline = CniHoldPlugin.HoldLimit + TimeSpan.FromMinutes(1);

    // Clean-up waits are best effort: what is still left afterwards is reported by the leftover check.
    private static readonly TimeSpan CleanUpInterval = TimeSpan.FromMilliseconds(20);

    private readonly TemporaryDirectory directory;
    private readonly GrpcChannel channel;
    private readonly string containerdPath;
    private readonly string ctrPath;
    private readonly string runcPath;
    private readonly NodeParts parts;

    /// <summary>Machine-wide directories that were absent before this node: only those may be removed again.</summary>
    private readonly IReadOnlyList<string> absentBefore;

    /// <summary>Every sandbox id this node's containerd was asked to run: whose cgroups, caches and sockets to remove.</summary>
    private readonly HashSet<string> sandboxIds = [];

    private readonly Dictionary<string, List<PodListener>> listeners = [];

    /// <summary>Creations held in the hold plugin and not yet released: released, and their RunPodSandbox awaited, before anything is removed.</summary>
    private readonly List<HeldSandbox> holds = [];
    private readonly StringBuilder earlierLogs = new();
    private CapturedProcess? containerd;
    private bool disposed;

    private ContainerdNode(TemporaryDirectory directory, NetworkNamespace ns, NodeParts parts, IReadOnlyList<string> absentBefore)
    {
        this.directory = directory;
        Namespace = ns;
        this.parts = parts;
        containerdPath = parts.ContainerdPath;
        ctrPath = parts.CtrPath;
        runcPath = parts.RuncPath;
        this.absentBefore = absentBefore;
        SocketPath = directory.Combine("containerd.sock");
        channel = CriChannel.ForUnixSocket(SocketPath);
        Cri = new RuntimeService.RuntimeServiceClient(channel);
    }

    /// <summary>The parts this node runs (containerd, runc, CNI plugins, portmap's backend).</summary>
    public NodeParts Parts => parts;

    /// <summary>The node's private directory: containerd's root and state, its config, the legacy PATH, the CNI files.</summary>
    public string PrivateDirectory => directory.Path;

    /// <summary>containerd's gRPC socket (CRI and containerd's own API), as the kubelet or an exporter would be given it.</summary>
    public string SocketPath { get; }

    /// <summary>The node's network namespace: containerd, the CNI plugins, the bridge and the host port rules live here.</summary>
    public NetworkNamespace Namespace { get; }

    /// <summary>The kubelet's view: the CRI RuntimeService over <see cref="SocketPath"/>.</summary>
    public RuntimeService.RuntimeServiceClient Cri { get; }

    /// <summary>The running containerd's process id, or null while it is stopped.</summary>
    public int? ContainerdProcessId => containerd is { HasExited: false } ? containerd.Id : null;

    /// <summary>The legacy-iptables directory that is first on containerd's PATH (and on <see cref="RunAsync"/>'s).</summary>
    public string LegacyBinDirectory => directory.Combine("bin");

    /// <summary>What every containerd run of this node logged, for assertion messages.</summary>
    public string ContainerdLog
    {
        get
        {
            lock (earlierLogs)
            {
                return earlierLogs + (containerd?.Log ?? "");
            }
        }
    }

    /// <summary>The node's CNI bin directory (containerd's bin_dir): links to the parts' plugins, and the <see cref="CniHoldPlugin"/>.</summary>
    public string CniBinDirectory => directory.Combine("cni", "bin");

    /// <summary>Where the <see cref="CniHoldPlugin"/>'s markers are.</summary>
    private string HoldDirectory => directory.Combine("hold");

    /// <summary>
    /// The PATH of containerd and of <see cref="RunAsync"/>: the legacy iptables first (as MicroK8s has them), then the
    /// parts' containerd directory, so containerd starts the shim of its own version.
    /// </summary>
    public string NodePath => $"{LegacyBinDirectory}:{parts.BinDirectory}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private string ConfigPath => directory.Combine("config.toml");

    /// <summary>Creates the node on <paramref name="parts"/> and starts containerd; returns once CRI answers and the pause image is imported.</summary>
    public static async Task<ContainerdNode> StartAsync(NodeParts parts, CancellationToken cancellationToken)
    {
        Prerequisites.RequireRoot();
        Prerequisites.RequireCommand("nsenter", "util-linux");
        Prerequisites.RequireCommand("umount", "mount");
        Prerequisites.RequireCommand("xtables-legacy-multi", "iptables");
        Prerequisites.RequireCommand("gcc", "gcc libc6-dev");
        if (parts.IsNftables)
        {
            Prerequisites.RequireCommand("nft", "nftables");
        }
        if (!File.Exists(Path.Combine(parts.BinDirectory, "containerd-shim-runc-v2")))
        {
            throw new PrerequisiteMissingException($"the {parts.Name} parts have no containerd-shim-runc-v2 in {parts.BinDirectory}");
        }
        foreach (var plugin in new[] { "bridge", "host-local", "loopback", "portmap" })
        {
            if (!File.Exists(Path.Combine(parts.CniBinDirectory, plugin)))
            {
                throw new PrerequisiteMissingException($"the {parts.Name} parts have no CNI plugin {parts.CniBinDirectory}/{plugin}");
            }
        }

        string[] shared = [ShimSocketDirectory, Path.GetDirectoryName(ShimSocketDirectory)!, Path.Combine(CniCacheDirectory, "results"), CniCacheDirectory, .. CgroupParents()];
        var absentBefore = shared.Where(path => !Directory.Exists(path)).ToList();
        var privateDirectory = new TemporaryDirectory("nfx-node-");
        NetworkNamespace? ns = null;
        ContainerdNode? node = null;
        try
        {
            ns = await NetworkNamespace.CreateAsync();
            node = new ContainerdNode(privateDirectory, ns, parts, absentBefore);
            await node.WriteFilesAsync(cancellationToken);
            var image = await PauseImage.BuildAsync(node.PrivateDirectory, SandboxImage, cancellationToken);
            await node.StartContainerdAsync(cancellationToken);
            (await node.CtrAsync(["images", "import", image], cancellationToken)).EnsureSuccess("ctr images import of the pause image");
            return node;
        }
        catch (Exception failure)
        {
            if (node is not null)
            {
                try
                {
                    await node.DisposeAsync();
                }
                catch (Exception cleanup)
                {
                    // Both matter: why the node did not start, and what it left behind.
                    throw new AggregateException(failure, cleanup);
                }
            }
            else
            {
                if (ns is not null)
                {
                    await ns.DisposeAsync();
                }
                privateDirectory.Dispose();
            }
            throw;
        }
    }

    /// <summary>Starts containerd (again) with the node's config in the node namespace; returns once CRI answers Version.</summary>
    public async Task StartContainerdAsync(CancellationToken cancellationToken)
    {
        if (ContainerdProcessId is not null)
        {
            throw new InvalidOperationException("containerd is already running");
        }
        if (containerd is not null)
        {
            lock (earlierLogs)
            {
                earlierLogs.Append(containerd.Log).AppendLine("--- containerd restarted ---");
            }
            await containerd.DisposeAsync();
            containerd = null;
        }
        // nsenter execs containerd after entering the namespace, so the process started is containerd itself.
        containerd = CapturedProcess.Start(
            "containerd",
            "nsenter",
            ["--net=/run/netns/" + Namespace.Name, containerdPath, "--config", ConfigPath],
            directory.Path,
            new Dictionary<string, string> { ["PATH"] = NodePath });

        var started = containerd;
        await Poll.UntilAsync(
            "CRI to answer Version",
            ReadyTimeout,
            async token =>
            {
                if (started.HasExited)
                {
                    throw new InvalidOperationException($"containerd exited before CRI answered:\n{ContainerdLog}");
                }
                try
                {
                    await Cri.VersionAsync(new VersionRequest { Version = "v1" }, deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: token);
                    return true;
                }
                catch (RpcException)
                {
                    // Not listening yet, or the CRI plugin is still loading its state ("server is not initialized yet").
                    return false;
                }
            },
            () => ContainerdLog,
            TimeSpan.FromMilliseconds(50),
            cancellationToken);
    }

    /// <summary>Stops containerd as systemd would (SIGTERM, SIGKILL after 10 s). Shims and pods keep running, as on a real node.</summary>
    public async Task StopContainerdAsync(CancellationToken cancellationToken)
    {
        if (containerd is null || containerd.HasExited)
        {
            return;
        }
        ProcessSignal.Send(containerd.Id, ProcessSignal.Terminate);
        var stopping = containerd;
        if (!await Poll.WhetherAsync(StopTimeout, () => stopping.HasExited, TimeSpan.FromMilliseconds(20), cancellationToken))
        {
            ProcessSignal.Send(stopping.Id, ProcessSignal.Kill);
            await Poll.UntilAsync("containerd to exit after SIGKILL", StopTimeout, () => stopping.HasExited, () => ContainerdLog, TimeSpan.FromMilliseconds(20));
        }
    }

    /// <summary>
    /// Runs a pod sandbox through CRI as the kubelet would for a pod with hostPort mappings (TCP, any host IP), and
    /// unless <paramref name="serve"/> is false starts a <see cref="PodListener"/> on each container port.
    /// </summary>
    public async Task<HostPortPod> RunHostPortPodAsync(
        string podNamespace, string podName, IReadOnlyList<(int HostPort, int ContainerPort)> ports, CancellationToken cancellationToken, bool serve = true)
    {
        RunPodSandboxResponse run;
        try
        {
            run = await Cri.RunPodSandboxAsync(
                new RunPodSandboxRequest { Config = HostPortSandboxConfig(podNamespace, podName, ports) }, deadline: DateTime.UtcNow.AddSeconds(60), cancellationToken: cancellationToken);
        }
        catch (RpcException exception)
        {
            // CRI's message says what failed (runc, a CNI plugin); containerd's log usually says why.
            throw new InvalidOperationException($"RunPodSandbox {podNamespace}/{podName}: {exception.Status.Detail}\ncontainerd log (last lines):\n{LogTail()}", exception);
        }
        sandboxIds.Add(run.PodSandboxId);
        return await ReadyHostPortPodAsync(run.PodSandboxId, podNamespace, podName, ports, serve, cancellationToken);
    }

    /// <summary>
    /// Starts a host port pod as <see cref="RunHostPortPodAsync"/> does, but holds its creation in the
    /// <see cref="CniHoldPlugin"/>, after portmap: returns once its host port rules are written while RunPodSandbox is
    /// still running, so the runtime does not list the sandbox yet. <see cref="HeldSandbox.ReleaseAsync"/> lets it
    /// finish; dispose releases what a test left held.
    /// </summary>
    public async Task<HeldSandbox> StartHeldHostPortPodAsync(
        string podNamespace, string podName, IReadOnlyList<(int HostPort, int ContainerPort)> ports, CancellationToken cancellationToken)
    {
        var marker = CniHoldPlugin.MarkerOf(HoldDirectory, podName);
        var entered = CniHoldPlugin.EnteredOf(HoldDirectory, podName);
        if (File.Exists(marker))
        {
            throw new InvalidOperationException($"the creation of a pod named {podName} is held already");
        }
        // From an earlier, released hold of a pod of the same name.
        File.Delete(entered);
        await File.WriteAllTextAsync(marker, "", cancellationToken);
        // Not the test's token: the call belongs to the node until it is released, and dispose awaits it.
        var running = Cri.RunPodSandboxAsync(
            new RunPodSandboxRequest { Config = HostPortSandboxConfig(podNamespace, podName, ports) },
            deadline: DateTime.UtcNow.Add(HeldRunDeadline),
            cancellationToken: CancellationToken.None).ResponseAsync;
        var held = new HeldSandbox(this, podNamespace, podName, ports, marker, running);
        holds.Add(held);
        try
        {
            held.SandboxId = await Poll.UntilAsync(
                $"RunPodSandbox {podNamespace}/{podName} to reach the hold plugin",
                ReadyTimeout,
                _ =>
                {
                    if (running.IsCompleted)
                    {
                        throw new InvalidOperationException($"RunPodSandbox {podNamespace}/{podName} ended before the hold plugin held it: {Describe(running)}\ncontainerd log (last lines):\n{LogTail()}");
                    }
                    return Task.FromResult(File.Exists(entered) ? File.ReadAllText(entered).Trim() : null);
                },
                LogTail,
                TimeSpan.FromMilliseconds(20),
                cancellationToken);
            sandboxIds.Add(held.SandboxId);
            return held;
        }
        catch
        {
            await LetGoAsync(held);
            throw;
        }
    }

    /// <summary>Lets a held creation finish (<see cref="HeldSandbox.ReleaseAsync"/>); returns the ready pod, serving its container ports.</summary>
    internal async Task<HostPortPod> ReleaseAsync(HeldSandbox held, CancellationToken cancellationToken)
    {
        if (!holds.Remove(held))
        {
            throw new InvalidOperationException($"the creation of {held.PodNamespace}/{held.PodName} is not held");
        }
        File.Delete(held.Marker);
        RunPodSandboxResponse run;
        try
        {
            run = await held.Running.WaitAsync(cancellationToken);
        }
        catch (RpcException exception)
        {
            throw new InvalidOperationException($"RunPodSandbox {held.PodNamespace}/{held.PodName} (held): {exception.Status.Detail}\ncontainerd log (last lines):\n{LogTail()}", exception);
        }
        sandboxIds.Add(run.PodSandboxId);
        if (run.PodSandboxId != held.SandboxId)
        {
            throw new InvalidOperationException($"RunPodSandbox {held.PodNamespace}/{held.PodName} made sandbox {run.PodSandboxId}, but the hold plugin was given {held.SandboxId}");
        }
        return await ReadyHostPortPodAsync(run.PodSandboxId, held.PodNamespace, held.PodName, held.Ports, true, cancellationToken);
    }

    /// <summary>The config the kubelet sends for a pod with hostPort mappings (TCP, any host IP).</summary>
    private static PodSandboxConfig HostPortSandboxConfig(string podNamespace, string podName, IReadOnlyList<(int HostPort, int ContainerPort)> ports)
    {
        var uid = Guid.NewGuid().ToString();
        var config = new PodSandboxConfig
        {
            Metadata = new PodSandboxMetadata { Name = podName, Namespace = podNamespace, Uid = uid, Attempt = 0 },
            Hostname = podName,
            Linux = new LinuxPodSandboxConfig(),
        };
        // The labels the kubelet puts on every sandbox.
        config.Labels.Add("io.kubernetes.pod.name", podName);
        config.Labels.Add("io.kubernetes.pod.namespace", podNamespace);
        config.Labels.Add("io.kubernetes.pod.uid", uid);
        foreach (var (hostPort, containerPort) in ports)
        {
            config.PortMappings.Add(new PortMapping { Protocol = Protocol.Tcp, HostPort = hostPort, ContainerPort = containerPort });
        }
        return config;
    }

    /// <summary>A sandbox RunPodSandbox made, with its address and network namespace; unless <paramref name="serve"/> is false a <see cref="PodListener"/> on each container port.</summary>
    private async Task<HostPortPod> ReadyHostPortPodAsync(
        string sandboxId, string podNamespace, string podName, IReadOnlyList<(int HostPort, int ContainerPort)> ports, bool serve, CancellationToken cancellationToken)
    {
        var status = await Cri.PodSandboxStatusAsync(
            new PodSandboxStatusRequest { PodSandboxId = sandboxId, Verbose = true }, deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: cancellationToken);
        var pod = new HostPortPod(sandboxId, podNamespace, podName, status.Status.Network.Ip, NetworkNamespacePath(status), ports);
        if (serve)
        {
            var started = new List<PodListener>();
            listeners[pod.SandboxId] = started;
            foreach (var containerPort in ports.Select(p => p.ContainerPort).Distinct())
            {
                started.Add(PodListener.Start(pod.NetworkNamespacePath, containerPort, $"{podNamespace}/{podName}"));
            }
        }
        return pod;
    }

    /// <summary>
    /// Clean-up of a hold: removes its marker and awaits its RunPodSandbox, whatever it answers (a made sandbox is then
    /// tracked for removal like any other), then waits for the plugin's process to be gone.
    /// </summary>
    private async Task LetGoAsync(HeldSandbox held)
    {
        holds.Remove(held);
        File.Delete(held.Marker);
        try
        {
            sandboxIds.Add((await held.Running.WaitAsync(HeldRunDeadline)).PodSandboxId);
        }
        catch (Exception exception) when (exception is RpcException or TimeoutException)
        {
            // It failed or never ended: what it left is found by the leftover check.
        }
        var plugin = Path.Combine(CniBinDirectory, CniHoldPlugin.Type);
        await Poll.WhetherAsync(TimeSpan.FromSeconds(10), () => HostScan.ProcessesMentioning(plugin).Count == 0, CleanUpInterval);
    }

    private static string Describe(Task<RunPodSandboxResponse> finished) =>
        finished.IsCompletedSuccessfully
            ? $"it made sandbox {finished.Result.PodSandboxId}"
            : finished.Exception?.InnerException is RpcException rpc ? rpc.Status.Detail : finished.Exception?.Message ?? "cancelled";

    /// <summary>
    /// Imports an image archive (OCI layout or docker-archive tarball) as `microk8s ctr image import` does, into
    /// the CRI namespace, and returns the names of every image the node then has; <paramref name="platform"/> imports another
    /// architecture's image (ctr imports only the node's own by default).
    /// </summary>
    public async Task<IReadOnlyList<string>> ImportImageAsync(string archive, CancellationToken cancellationToken, string? platform = null)
    {
        (await CtrAsync(["images", "import", .. platform is null ? Array.Empty<string>() : ["--platform", platform], archive], cancellationToken))
            .EnsureSuccess($"ctr images import {archive}");
        var listed = (await CtrAsync(["images", "list", "-q"], cancellationToken)).EnsureSuccess("ctr images list");
        return listed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>Runs a pod sandbox with <paramref name="config"/> as the kubelet would, and tracks it for clean-up.</summary>
    public async Task<string> RunPodSandboxAsync(PodSandboxConfig config, CancellationToken cancellationToken)
    {
        try
        {
            var run = await Cri.RunPodSandboxAsync(new RunPodSandboxRequest { Config = config }, deadline: DateTime.UtcNow.AddSeconds(60), cancellationToken: cancellationToken);
            sandboxIds.Add(run.PodSandboxId);
            return run.PodSandboxId;
        }
        catch (RpcException exception)
        {
            throw new InvalidOperationException($"RunPodSandbox {config.Metadata.Namespace}/{config.Metadata.Name}: {exception.Status.Detail}\ncontainerd log (last lines):\n{LogTail()}", exception);
        }
    }

    /// <summary>Creates and starts a container in a sandbox of this node (CreateContainer, StartContainer); returns its id.</summary>
    public async Task<string> StartContainerAsync(string sandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig, CancellationToken cancellationToken)
    {
        string? id = null;
        try
        {
            id = (await Cri.CreateContainerAsync(
                new CreateContainerRequest { PodSandboxId = sandboxId, Config = config, SandboxConfig = sandboxConfig },
                deadline: DateTime.UtcNow.AddSeconds(60),
                cancellationToken: cancellationToken)).ContainerId;
            await Cri.StartContainerAsync(new StartContainerRequest { ContainerId = id }, deadline: DateTime.UtcNow.AddSeconds(60), cancellationToken: cancellationToken);
            return id;
        }
        catch (RpcException exception)
        {
            throw new InvalidOperationException(
                $"{(id is null ? "CreateContainer" : "StartContainer " + id)} {config.Metadata.Name}: {exception.Status.Detail}\ncontainerd log (last lines):\n{LogTail()}", exception);
        }
    }

    /// <summary>Runs a command in a running container (CRI ExecSync, as `kubectl exec` without a terminal).</summary>
    public async Task<CommandResult> ExecSyncAsync(string containerId, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var request = new ExecSyncRequest { ContainerId = containerId, Timeout = (long)timeout.TotalSeconds };
        request.Cmd.AddRange(command);
        var response = await Cri.ExecSyncAsync(request, deadline: DateTime.UtcNow.Add(timeout + TimeSpan.FromSeconds(10)), cancellationToken: cancellationToken);
        return new CommandResult(response.ExitCode, response.Stdout.ToStringUtf8(), response.Stderr.ToStringUtf8());
    }

    /// <summary>
    /// What `microk8s stop` does since canonical/microk8s#4755 (remove_all_containers), then stopping containerd:
    /// for every container (the sandboxes are containers too) `ctr task kill -s SIGKILL`, then `ctr container
    /// delete`, behind CRI's back. No StopPodSandbox, so no CNI DEL: the host port rules, the pod's netns mount, its
    /// veth and its host-local address stay. The pods' workloads (<see cref="PodListener"/>s) die with them.
    /// </summary>
    public async Task ReplayMicroK8sStopAsync(CancellationToken cancellationToken)
    {
        var ids = await ListContainerIdsAsync(cancellationToken);
        foreach (var id in ids)
        {
            await DisposeListenersAsync(id);
            // The CRI exit handler may have deleted the task already, so "not found" is expected and ignored, as
            // MicroK8s' loop ignores every error.
            var kill = await CtrAsync(["task", "kill", "-s", "SIGKILL", id], cancellationToken);
            if (kill.ExitCode != 0 && !IsNotFound(kill))
            {
                throw new InvalidOperationException($"ctr task kill {id}: {kill.StandardError.Trim()}");
            }
            await DeleteContainerAsync(id, cancellationToken);
        }
        foreach (var id in listeners.Keys.ToList())
        {
            await DisposeListenersAsync(id);
        }
        await StopContainerdAsync(cancellationToken);
    }

    /// <summary>
    /// Runs a command in the node namespace with the node's PATH (legacy iptables first, as MicroK8s has it), e.g.
    /// iptables-legacy-save -c -t nat, or a fix the exporter printed.
    /// </summary>
    /// <param name="firstOnPath">A directory put before the node's PATH, e.g. wrappers of the programs a command runs.</param>
    public Task<CommandResult> RunAsync(
        string file, IEnumerable<string> arguments, string? standardInput = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default,
        string? firstOnPath = null) =>
        TestCommand.RunCancellableAsync(
            "ip", ["netns", "exec", Namespace.Name, "env", "PATH=" + (firstOnPath is null ? "" : firstOnPath + ":") + NodePath, file, .. arguments],
            cancellationToken, standardInput, timeout);

    /// <summary>The node's legacy nat table with counters, as iptables-legacy-save -c -t nat prints it.</summary>
    public async Task<string> SaveLegacyNatAsync(CancellationToken cancellationToken) =>
        (await RunAsync("iptables-legacy-save", ["-c", "-t", "nat"], cancellationToken: cancellationToken)).EnsureSuccess("iptables-legacy-save").StandardOutput;

    /// <summary>portmap's nftables table ip cni_hostport as nft -j lists it; empty when there is no such table.</summary>
    public async Task<string> ListNftHostPortTableAsync(CancellationToken cancellationToken)
    {
        var listed = await RunAsync("nft", ["-j", "list", "table", "ip", "cni_hostport"], cancellationToken: cancellationToken);
        return listed.ExitCode != 0 && listed.StandardError.Contains("No such file or directory", StringComparison.Ordinal)
            ? ""
            : listed.EnsureSuccess("nft -j list table ip cni_hostport").StandardOutput;
    }

    /// <summary>The claims on <paramref name="hostPort"/> in the order the kernel tries them (the first wins), read with the backend's own tool.</summary>
    public async Task<IReadOnlyList<NodeHostPortClaim>> HostPortClaimsAsync(int hostPort, CancellationToken cancellationToken)
    {
        if (parts.IsNftables)
        {
            var nft = SavedNftHostPortRules.Parse(await ListNftHostPortTableAsync(cancellationToken));
            return [.. nft.RulesFor(hostPort).Select(rule => new NodeHostPortClaim(rule.SandboxId, rule.Destination, null))];
        }
        var saved = SavedHostPortRules.Parse(await SaveLegacyNatAsync(cancellationToken));
        return [.. saved.JumpsFor(hostPort).Select(jump =>
        {
            var dnat = saved.DnatFor(jump.SandboxId, hostPort);
            return new NodeHostPortClaim(jump.SandboxId, dnat.Destination, dnat.Packets);
        })];
    }

    /// <summary>
    /// Whether portmap left anything of the sandbox: with nftables any rule of ip cni_hostport commented with its id
    /// (DNAT or masquerade), with iptables its CNI-HOSTPORT-DNAT jump or its CNI-DN- chain ("CNI-DN-" and 21 hex of
    /// sha512(network name + id), as portmap names it). The bridge plugin's own masquerade chain is not portmap's.
    /// </summary>
    public async Task<bool> HasPortmapRulesOfAsync(string sandboxId, CancellationToken cancellationToken)
    {
        if (parts.IsNftables)
        {
            return SavedNftHostPortRules.Parse(await ListNftHostPortTableAsync(cancellationToken)).Mentions(sandboxId);
        }
        var saved = await SaveLegacyNatAsync(cancellationToken);
        return SavedHostPortRules.Parse(saved).Jumps.Any(jump => jump.SandboxId == sandboxId)
            || saved.Contains(":" + PortmapChainOf(sandboxId) + " ", StringComparison.Ordinal);
    }

    /// <summary>portmap's CNI-DN- chain name for a sandbox of this node's network.</summary>
    public static string PortmapChainOf(string sandboxId) =>
        "CNI-DN-" + Convert.ToHexStringLower(SHA512.HashData(Encoding.UTF8.GetBytes(NetworkName + sandboxId)))[..21];

    /// <summary>GET http://<see cref="GatewayAddress"/>:<paramref name="hostPort"/>/ from the node namespace: what a client on the node gets.</summary>
    public async Task<HostPortReply> GetHostPortAsync(int hostPort, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var client = Namespace.CreateHttpClient(timeout);
        try
        {
            using var response = await client.GetAsync(new Uri($"http://{GatewayAddress}:{hostPort.ToString(CultureInfo.InvariantCulture)}/"), cancellationToken);
            return new HostPortReply(HostPortOutcome.Answered, (int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (TaskCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            return new HostPortReply(HostPortOutcome.NoAnswer, 0, exception.Message);
        }
        catch (HttpRequestException exception) when (exception.InnerException is SocketException socket)
        {
            // An unreachable destination (no ARP answer for a vanished pod address) is a black hole as well.
            return socket.SocketErrorCode == SocketError.ConnectionRefused
                ? new HostPortReply(HostPortOutcome.Refused, 0, socket.Message)
                : new HostPortReply(HostPortOutcome.NoAnswer, 0, socket.Message);
        }
    }

    /// <summary>
    /// What of this node is still on the machine: processes naming its directory, mounts under it, its network
    /// namespace, its directory, its cgroups, cached CNI results, shim sockets. Empty after dispose.
    /// </summary>
    public IReadOnlyList<string> FindLeftovers()
    {
        var found = new List<string>();
        found.AddRange(HostScan.ProcessesMentioning(PrivateDirectory).Select(p => $"process {p.ProcessId.ToString(CultureInfo.InvariantCulture)}: {p.CommandLine}"));
        found.AddRange(HostScan.MountsUnder(PrivateDirectory).Select(m => "mount " + m));
        if (File.Exists("/run/netns/" + Namespace.Name))
        {
            found.Add("network namespace " + Namespace.Name);
        }
        if (Directory.Exists(PrivateDirectory))
        {
            found.Add("directory " + PrivateDirectory);
        }
        found.AddRange(KnownSandboxIds().SelectMany(SandboxPaths).Where(Path.Exists).Select(p => "path " + p));
        found.AddRange(absentBefore.Where(Directory.Exists).Where(IsEmptyDirectory).Select(p => "directory " + p + " (created by this node)"));
        return found;
    }

    /// <summary>
    /// Removes everything, whatever state the node is in (containerd running or stopped, pods alive, leaked after a
    /// replay): each step runs even if an earlier one failed. Throws at the end if something of the node remains,
    /// since a leftover mount or shim on a shared machine must not pass silently.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }
        disposed = true;
        var problems = new List<string>();
        async Task Step(string what, Func<Task> action)
        {
            try
            {
                await action();
            }
            catch (Exception exception)
            {
                problems.Add($"{what}: {exception.Message}");
            }
        }

        var none = CancellationToken.None;
        // Held creations first: each RunPodSandbox ends (its sandbox then exists, and is removed like the others) and
        // no hold plugin is left waiting.
        await Step("releasing held creations", async () =>
        {
            foreach (var held in holds.ToList())
            {
                await LetGoAsync(held);
            }
        });
        // Taken then: runc delete removes runc's state, one of the places ids are found.
        var ids = KnownSandboxIds();
        await Step("stopping the pod listeners", async () =>
        {
            foreach (var id in listeners.Keys.ToList())
            {
                await DisposeListenersAsync(id);
            }
        });
        if (ContainerdProcessId is not null)
        {
            // Through containerd while it runs: shims exit once their task is deleted.
            await Step("deleting containers with ctr", async () =>
            {
                foreach (var id in await ListContainerIdsAsync(none))
                {
                    await CtrAsync(["task", "kill", "-s", "SIGKILL", id], none);
                    await DeleteContainerAsync(id, none);
                }
            });
        }
        await Step("stopping containerd", () => StopContainerdAsync(none));
        await Step("deleting runc containers", DeleteRuncContainersAsync);
        await Step("killing shims", KillShimsAsync);
        await Step("removing cgroups", () => RemoveCgroupsAsync(ids));
        await Step("unmounting", UnmountAllAsync);
        await Step("deleting the node namespace", async () => await Namespace.DisposeAsync());
        await Step("removing shared files", () =>
        {
            RemoveSharedFiles(ids);
            return Task.CompletedTask;
        });
        await Step("releasing the containerd process", async () =>
        {
            if (containerd is not null)
            {
                await containerd.DisposeAsync();
            }
        });
        channel.Dispose();
        if (HostScan.MountsUnder(PrivateDirectory).Count == 0)
        {
            // Never recursively delete through a mount point: that would delete inside whatever is mounted there.
            await Step("deleting the node directory", () =>
            {
                directory.Dispose();
                return Task.CompletedTask;
            });
        }

        var leftovers = FindLeftovers();
        if (leftovers.Count > 0)
        {
            throw new InvalidOperationException(
                $"the containerd node was not cleaned up: {string.Join("; ", leftovers)}{(problems.Count > 0 ? " — " + string.Join("; ", problems) : "")}");
        }
    }

    private string LogTail() => string.Join('\n', ContainerdLog.Split('\n').TakeLast(40));

    private static bool IsNotFound(CommandResult result) =>
        result.StandardError.Contains("not found", StringComparison.OrdinalIgnoreCase);

    private static bool IsEmptyDirectory(string path) => !Directory.EnumerateFileSystemEntries(path).Any();

    /// <summary>Where cgroup hierarchies are mounted: the one unified hierarchy (v2) or one directory per v1 hierarchy.</summary>
    private static IEnumerable<string> CgroupParents()
    {
        if (File.Exists(Path.Combine(CgroupRoot, "cgroup.controllers")))
        {
            return [Path.Combine(CgroupRoot, CriNamespace)];
        }
        // v1: every hierarchy (cpu, memory, ..., name=systemd, and the hybrid "unified") gets a k8s.io/<id> from
        // runc's cgroupfs driver; cpu,cpuacct style symlinks name the same hierarchy twice and are skipped.
        return Directory.Exists(CgroupRoot)
            ? Directory.EnumerateDirectories(CgroupRoot)
                .Where(d => new DirectoryInfo(d).LinkTarget is null)
                .Select(d => Path.Combine(d, CriNamespace))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];
    }

    /// <summary>
    /// The paths of a sandbox outside the node's directory: its cgroups (runc's default cgroup path for the CRI
    /// namespace is /k8s.io/ID), libcni's cached result, and its shim's socket, which containerd 1.6 names by the
    /// sha256 of "&lt;containerd address&gt;/&lt;namespace&gt;/&lt;id&gt;".
    /// </summary>
    private IEnumerable<string> SandboxPaths(string id)
    {
        foreach (var parent in CgroupParents())
        {
            yield return Path.Combine(parent, id);
        }
        // containerd's CRI runs its own loopback network for every sandbox, and libcni caches both results.
        yield return Path.Combine(CniCacheDirectory, "results", $"{NetworkName}-{id}-eth0");
        yield return Path.Combine(CniCacheDirectory, "results", $"cni-loopback-{id}-lo");
        yield return Path.Combine(ShimSocketDirectory, ShimSocketName(id));
    }

    private string ShimSocketName(string id) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{SocketPath}/{CriNamespace}/{id}")));

    /// <summary>Every sandbox id that ever existed here: the ones run through CRI, and any left in runc's or containerd's state.</summary>
    private HashSet<string> KnownSandboxIds()
    {
        var ids = new HashSet<string>(sandboxIds, StringComparer.Ordinal);
        foreach (var state in new[] { directory.Combine("runc", CriNamespace), directory.Combine("state", "io.containerd.runtime.v2.task", CriNamespace) })
        {
            if (Directory.Exists(state))
            {
                ids.UnionWith(Directory.EnumerateDirectories(state).Select(d => Path.GetFileName(d)!));
            }
        }
        return ids;
    }

    private async Task WriteFilesAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(LegacyBinDirectory);
        foreach (var tool in LegacyTools)
        {
            // xtables-legacy-multi picks its personality from the name it is run as.
            File.CreateSymbolicLink(Path.Combine(LegacyBinDirectory, tool), "/usr/sbin/xtables-legacy-multi");
        }
        Directory.CreateDirectory(CniBinDirectory);
        foreach (var plugin in Directory.EnumerateFiles(parts.CniBinDirectory))
        {
            File.CreateSymbolicLink(Path.Combine(CniBinDirectory, Path.GetFileName(plugin)), plugin);
        }
        Directory.CreateDirectory(HoldDirectory);
        await CniHoldPlugin.WriteAsync(CniBinDirectory, HoldDirectory, cancellationToken);
        var cniConfig = directory.Combine("cni", "net.d");
        Directory.CreateDirectory(cniConfig);
        Directory.CreateDirectory(directory.Combine("cni", "ipam"));
        await File.WriteAllTextAsync(
            Path.Combine(cniConfig, "10-" + NetworkName + ".conflist"),
            ContainerdNodeFiles.CniConflist(NetworkName, BridgeName, Subnet, GatewayAddress, directory.Combine("cni", "ipam"), parts.Backend),
            cancellationToken);
        await File.WriteAllTextAsync(ConfigPath, ContainerdNodeFiles.ContainerdConfig(parts, PrivateDirectory, SocketPath, cniConfig, CniBinDirectory, SandboxImage), cancellationToken);
    }

    private Task<CommandResult> CtrAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        TestCommand.RunCancellableAsync(ctrPath, ["--address", SocketPath, "-n", CriNamespace, .. arguments], cancellationToken, timeout: TimeSpan.FromSeconds(30));

    private async Task<IReadOnlyList<string>> ListContainerIdsAsync(CancellationToken cancellationToken)
    {
        var listed = (await CtrAsync(["containers", "list", "-q"], cancellationToken)).EnsureSuccess("ctr containers list");
        return listed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>
    /// ctr container delete until the container is gone. Right after the SIGKILL the task is still being torn down,
    /// and delete fails with "cannot delete a non stopped container" or, when CRI's exit handler deletes the task
    /// in between, with "task ... not found": neither means the container is gone. MicroK8s ignores these errors;
    /// what its stop ends with, as real-node.md saw, is the container deleted, so the replay waits for exactly that.
    /// </summary>
    private async Task DeleteContainerAsync(string id, CancellationToken cancellationToken)
    {
        CommandResult? delete = null;
        try
        {
            await Poll.UntilAsync(
                $"ctr containers delete {id}",
                TimeSpan.FromSeconds(15),
                async token =>
                {
                    delete = await CtrAsync(["containers", "delete", id], token);
                    return delete.ExitCode == 0 || !(await ListContainerIdsAsync(token)).Contains(id);
                },
                cancellationToken: cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException($"ctr containers delete {id}: {delete?.StandardError.Trim()}");
        }
    }

    private async Task DisposeListenersAsync(string sandboxId)
    {
        if (listeners.Remove(sandboxId, out var started))
        {
            foreach (var listener in started)
            {
                await listener.DisposeAsync();
            }
        }
    }

    /// <summary>With containerd gone, runc itself kills and deletes what is left in the node's private runc root (pause processes, their cgroups).</summary>
    private async Task DeleteRuncContainersAsync()
    {
        var root = directory.Combine("runc", CriNamespace);
        if (!Directory.Exists(root))
        {
            return;
        }
        foreach (var state in Directory.EnumerateDirectories(root))
        {
            await TestCommand.RunAsync(runcPath, ["--root", root, "delete", "--force", Path.GetFileName(state)], timeout: TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>containerd-shim-runc-v2 processes survive containerd; the ones started for this node name its socket in their command line.</summary>
    private async Task KillShimsAsync()
    {
        var shims = HostScan.ProcessesMentioning(SocketPath).Where(p => p.CommandLine.Contains("containerd-shim", StringComparison.Ordinal)).ToList();
        foreach (var (processId, _) in shims)
        {
            ProcessSignal.Send(processId, ProcessSignal.Kill);
        }
        await Poll.WhetherAsync(TimeSpan.FromSeconds(10), () => shims.All(s => !HostScan.IsAlive(s.ProcessId)), CleanUpInterval);
    }

    /// <summary>Kills whatever still runs in the sandboxes' cgroups (by the ids listed in cgroup.procs), then removes the cgroups.</summary>
    private async Task RemoveCgroupsAsync(IReadOnlySet<string> ids)
    {
        var cgroups = ids.SelectMany(id => CgroupParents().Select(parent => Path.Combine(parent, id))).Where(Directory.Exists).ToList();
        var processes = cgroups
            .SelectMany(ReadCgroupProcesses)
            .Select(line => int.Parse(line, NumberStyles.None, CultureInfo.InvariantCulture))
            .Distinct()
            .ToList();
        foreach (var processId in processes)
        {
            ProcessSignal.Send(processId, ProcessSignal.Kill);
        }
        await Poll.WhetherAsync(TimeSpan.FromSeconds(10), () => processes.All(p => !HostScan.IsAlive(p)), CleanUpInterval);
        foreach (var cgroup in cgroups)
        {
            // A cgroup may hold no process for a moment after its last one died; rmdir is retried for that.
            await Poll.WhetherAsync(TimeSpan.FromSeconds(5), () => TryRemoveDirectory(cgroup), CleanUpInterval);
        }
        foreach (var parent in CgroupParents().Where(absentBefore.Contains))
        {
            TryRemoveDirectory(parent);
        }
    }

    /// <summary>Lazily unmounts everything under the node's directory, deepest first: rootfs overlays, pod /dev/shm, pod netns (nsfs) mounts the replay leaked.</summary>
    private async Task UnmountAllAsync()
    {
        foreach (var mount in HostScan.MountsUnder(PrivateDirectory))
        {
            await TestCommand.RunAsync("umount", ["-l", mount], timeout: TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>Removes the sandboxes' files in the machine's shared directories, and those directories if this node created them and they are empty.</summary>
    private void RemoveSharedFiles(IEnumerable<string> ids)
    {
        foreach (var path in ids.SelectMany(SandboxPaths).Where(File.Exists))
        {
            File.Delete(path);
        }
        // Deepest first, so /run/containerd/s goes before /run/containerd.
        foreach (var shared in absentBefore.OrderByDescending(p => p.Length))
        {
            if (Directory.Exists(shared) && IsEmptyDirectory(shared))
            {
                TryRemoveDirectory(shared);
            }
        }
    }

    private static IEnumerable<string> ReadCgroupProcesses(string cgroup)
    {
        try
        {
            return File.ReadAllLines(Path.Combine(cgroup, "cgroup.procs"));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Removed meanwhile (runc delete removes its cgroups).
            return [];
        }
    }

    private static bool TryRemoveDirectory(string path)
    {
        try
        {
            Directory.Delete(path);
            return true;
        }
        catch (DirectoryNotFoundException)
        {
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The pod's network namespace path, from the runtime spec containerd reports in the verbose status.</summary>
    private static string NetworkNamespacePath(PodSandboxStatusResponse status)
    {
        if (!status.Info.TryGetValue("info", out var info))
        {
            throw new InvalidOperationException("PodSandboxStatus (verbose) has no info");
        }
        var namespaces = JsonNode.Parse(info)?["runtimeSpec"]?["linux"]?["namespaces"]?.AsArray() ?? [];
        return namespaces
            .Where(n => (string?)n?["type"] == "network")
            .Select(n => (string?)n?["path"])
            .FirstOrDefault(p => !string.IsNullOrEmpty(p))
            ?? throw new InvalidOperationException($"PodSandboxStatus names no network namespace path: {info}");
    }
}
