using NetfilterExporter.TestSupport.Cri;

namespace NetfilterExporter.Deployment.Tests;

/// <summary>
/// What the kubelet asks the container runtime for when it runs the DaemonSet's pod on a node, read from the
/// manifest: RunPodSandbox in the node's network namespace (hostNetwork), then CreateContainer with the image, the
/// args with $(VAR) expanded, the env, the hostPath and emptyDir volume mounts with their readOnly and
/// mountPropagation, runAsUser and runAsGroup, the capabilities, no_new_privs (allowPrivilegeEscalation: false),
/// the read-only root file system and the seccomp profile. A container securityContext key, volume type, mount
/// propagation or recursiveReadOnly it does not know fails with its location, so such a change to the manifest
/// cannot silently leave the test behind. Not sent, as no test here depends on them: the kubelet's own /etc/hosts
/// and termination-log mounts, DNS settings (dnsPolicy), and the service account token (the manifest disables it).
/// </summary>
public sealed class DaemonSetCriPod : IDisposable
{
    private readonly ManifestNode podSpec = KubernetesManifests.DaemonSetPodSpec();
    private readonly string directory;

    /// <summary>Host files created for hostPath volumes of type FileOrCreate, as the kubelet creates them; removed on dispose.</summary>
    private readonly List<string> created = [];

    /// <param name="nodeAddress">status.hostIP: the node's address in its network namespace.</param>
    /// <param name="directory">Where emptyDir volumes and the container log live, as under /var/lib/kubelet/pods.</param>
    /// <param name="extraArguments">Appended to the manifest's args; each one is a departure from the manifest the caller must justify.</param>
    public DaemonSetCriPod(string nodeAddress, string directory, IReadOnlyList<string> extraArguments)
    {
        this.directory = directory;
        if (podSpec.OptionalText("hostNetwork") != "true")
        {
            throw new ManifestException($"{podSpec.Location}: the translation runs the pod with the node's network only (hostNetwork: true)");
        }
        var environment = ContainerEnvironment.Resolve(Container, nodeAddress);
        Sandbox = SandboxConfig();
        ContainerConfig = new ContainerConfig
        {
            Metadata = new ContainerMetadata { Name = Container.Text("name"), Attempt = 0 },
            Image = new ImageSpec { Image = ImageName },
            LogPath = Container.Text("name") + "/0.log",
            Linux = new LinuxContainerConfig { SecurityContext = ContainerSecurityContext() },
        };
        if (Container.TryGet("command") is not null)
        {
            throw new ManifestException($"{Container.Location}: command replaces the image's ENTRYPOINT; the translation keeps the ENTRYPOINT and passes args");
        }
        ContainerConfig.Args.AddRange(Container.Get("args").Items.Select(argument => KubernetesVariables.Expand(argument, environment)).Concat(extraArguments));
        ContainerConfig.Envs.AddRange(environment.Select(variable => new KeyValue { Key = variable.Key, Value = variable.Value }));
        try
        {
            ContainerConfig.Mounts.AddRange(Mounts());
        }
        catch
        {
            // A FileOrCreate file made before a later volume failed is not left on the host.
            Dispose();
            throw;
        }
        ContainerConfig.Labels.Add("io.kubernetes.container.name", Container.Text("name"));
    }

    /// <summary>The container as the manifest declares it.</summary>
    public ManifestNode Container { get; } = KubernetesManifests.DaemonSetContainer();

    /// <summary>The image the manifest runs.</summary>
    public string ImageName => Container.Text("image");

    public PodSandboxConfig Sandbox { get; }

    public ContainerConfig ContainerConfig { get; }

    /// <summary>The container's log file (CRI log format), as the runtime writes it.</summary>
    public string LogPath => System.IO.Path.Combine(Sandbox.LogDirectory, ContainerConfig.LogPath);

    /// <summary>The path of the named probe's httpGet, e.g. /healthz.</summary>
    public string ProbePath(string probe) => Container.Get(probe).Get("httpGet").Text("path");

    /// <summary>The container port the named port of the container stands for (the probes' port: metrics).</summary>
    public string Port(string name) => Container.Get("ports").Single("name", name).Text("containerPort");

    /// <summary>Runs the sandbox, then creates and starts the container; returns the container's id.</summary>
    public async Task<string> RunAsync(ContainerdNode node, CancellationToken cancellationToken)
    {
        var sandboxId = await node.RunPodSandboxAsync(Sandbox, cancellationToken);
        return await node.StartContainerAsync(sandboxId, ContainerConfig, Sandbox, cancellationToken);
    }

    /// <summary>The container's log so far, for assertion messages.</summary>
    public string Log() => File.Exists(LogPath) ? File.ReadAllText(LogPath) : $"(no log at {LogPath})";

    public void Dispose()
    {
        foreach (var file in created)
        {
            File.Delete(file);
        }
        created.Clear();
    }

    private PodSandboxConfig SandboxConfig()
    {
        var metadata = KubernetesManifests.Single("DaemonSet").Get("metadata");
        var uid = Guid.NewGuid().ToString();
        var name = metadata.Text("name") + "-" + uid[..5];
        var logDirectory = System.IO.Path.Combine(directory, "logs");
        Directory.CreateDirectory(logDirectory);
        var config = new PodSandboxConfig
        {
            Metadata = new PodSandboxMetadata { Name = name, Namespace = metadata.Text("namespace"), Uid = uid, Attempt = 0 },
            LogDirectory = logDirectory,
            Linux = new LinuxPodSandboxConfig
            {
                SecurityContext = new LinuxSandboxSecurityContext
                {
                    NamespaceOptions = new NamespaceOption { Network = NamespaceMode.Node, Pid = NamespaceMode.Container, Ipc = NamespaceMode.Pod },
                    Seccomp = Seccomp(),
                },
            },
        };
        config.Labels.Add("io.kubernetes.pod.name", name);
        config.Labels.Add("io.kubernetes.pod.namespace", metadata.Text("namespace"));
        config.Labels.Add("io.kubernetes.pod.uid", uid);
        foreach (var port in Container.Get("ports").Items)
        {
            config.PortMappings.Add(new PortMapping
            {
                Protocol = port.Text("protocol") == "TCP" ? Protocol.Tcp : throw new ManifestException($"{port.Location}: only TCP ports are translated"),
                ContainerPort = int.Parse(port.Text("containerPort"), System.Globalization.CultureInfo.InvariantCulture),
                HostPort = int.Parse(port.Text("hostPort"), System.Globalization.CultureInfo.InvariantCulture),
            });
        }
        return config;
    }

    private LinuxContainerSecurityContext ContainerSecurityContext()
    {
        var context = Container.Get("securityContext");
        var known = new HashSet<string>(StringComparer.Ordinal)
        {
            "runAsUser", "runAsGroup", "runAsNonRoot", "privileged", "allowPrivilegeEscalation", "readOnlyRootFilesystem", "capabilities",
        };
        var unknown = context.Keys.Where(key => !known.Contains(key)).ToList();
        if (unknown.Count > 0 || context.Text("privileged") != "false")
        {
            throw new ManifestException($"{context.Location}: {string.Join(", ", unknown.DefaultIfEmpty("privileged"))} is not translated; extend {nameof(DaemonSetCriPod)}");
        }
        var security = new LinuxContainerSecurityContext
        {
            Capabilities = new Capability(),
            NamespaceOptions = new NamespaceOption { Network = NamespaceMode.Node, Pid = NamespaceMode.Container, Ipc = NamespaceMode.Pod },
            RunAsUser = new Int64Value { Value = long.Parse(context.Text("runAsUser"), System.Globalization.CultureInfo.InvariantCulture) },
            RunAsGroup = new Int64Value { Value = long.Parse(context.Text("runAsGroup"), System.Globalization.CultureInfo.InvariantCulture) },
            ReadonlyRootfs = context.Text("readOnlyRootFilesystem") == "true",
            NoNewPrivs = context.Text("allowPrivilegeEscalation") == "false",
            Seccomp = Seccomp(),
        };
        if (context.OptionalText("runAsNonRoot") == "true" && security.RunAsUser.Value == 0)
        {
            throw new ManifestException($"{context.Location}: runAsNonRoot with runAsUser 0: the kubelet would refuse to start the container");
        }
        // The kubelet passes the names as written; the runtime adds CAP_ and expands ALL.
        security.Capabilities.AddCapabilities.AddRange(context.Get("capabilities").Get("add").Items.Select(item => item.Value));
        security.Capabilities.DropCapabilities.AddRange(context.Get("capabilities").Get("drop").Items.Select(item => item.Value));
        return security;
    }

    private SecurityProfile Seccomp()
    {
        var type = podSpec.Get("securityContext").Get("seccompProfile").Text("type");
        return type == "RuntimeDefault"
            ? new SecurityProfile { ProfileType = SecurityProfile.Types.ProfileType.RuntimeDefault }
            : throw new ManifestException($"{podSpec.Get("securityContext").Location}: seccompProfile {type} is not translated");
    }

    private IEnumerable<Mount> Mounts()
    {
        foreach (var volumeMount in Container.Get("volumeMounts").Items)
        {
            var volume = podSpec.Get("volumes").Single("name", volumeMount.Text("name"));
            if (volumeMount.TryGet("recursiveReadOnly") is { } recursive && recursive.Value != "Disabled")
            {
                throw new ManifestException($"{recursive.Location}: recursiveReadOnly is not translated");
            }
            yield return new Mount
            {
                ContainerPath = volumeMount.Text("mountPath"),
                HostPath = HostPath(volume),
                Readonly = volumeMount.OptionalText("readOnly") == "true",
                Propagation = volumeMount.OptionalText("mountPropagation") switch
                {
                    null or "None" => MountPropagation.PropagationPrivate,
                    "HostToContainer" => MountPropagation.PropagationHostToContainer,
                    var other => throw new ManifestException($"{volumeMount.Location}: mountPropagation {other} is not translated"),
                },
            };
        }
    }

    private string HostPath(ManifestNode volume)
    {
        if (volume.TryGet("emptyDir") is not null)
        {
            var path = System.IO.Path.Combine(directory, "volumes", volume.Text("name"));
            Directory.CreateDirectory(path);
            return path;
        }
        var hostPath = volume.Get("hostPath");
        var host = hostPath.Text("path");
        switch (hostPath.OptionalText("type"))
        {
            case null or "" or "Directory":
                break;
            case "FileOrCreate":
                if (!File.Exists(host))
                {
                    File.Create(host).Dispose();
                    created.Add(host);
                }
                break;
            case var other:
                throw new ManifestException($"{hostPath.Location}: hostPath type {other} is not translated");
        }
        return host;
    }
}
