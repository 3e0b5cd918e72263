namespace NetfilterExporter.TestSupport;

/// <summary>Which of portmap's backends writes the host port rules (reference/today.md).</summary>
public enum PortmapRuleBackend
{
    /// <summary>CNI-HOSTPORT-DNAT and CNI-DN-* chains, in the legacy tables MicroK8s' PATH gives it.</summary>
    Iptables,

    /// <summary>portmap's own <c>table ip/ip6 cni_hostport</c> (CNI plugins ≥ 1.6, <c>"backend": "nftables"</c>).</summary>
    Nftables,
}

/// <summary>
/// One set of real node parts a <see cref="ContainerdNode"/> runs: containerd (and its ctr and runc shim), runc, the
/// CNI plugins, the containerd config version they take, and the portmap backend the conflist chooses. The real-node
/// stories run on each of <see cref="Names"/>: Debian 12's own packages (containerd 1.6, CNI plugins 1.1.1) and
/// today's (containerd 2.x, runc, CNI plugins ≥ 1.9 from <see cref="TodaysParts"/>) with either portmap backend.
/// </summary>
/// <param name="Name">The set's name, as the theories' data name it.</param>
/// <param name="ContainerdPath">containerd itself.</param>
/// <param name="CtrPath">The ctr of the same containerd, as MicroK8s' stop uses it.</param>
/// <param name="BinDirectory">The directory holding containerd-shim-runc-v2: first on containerd's PATH (after the legacy iptables), so containerd starts its own shim.</param>
/// <param name="RuncPath">The runc the shim runs (runc options BinaryName).</param>
/// <param name="CniBinDirectory">Where bridge, host-local, loopback and portmap are.</param>
/// <param name="ConfigVersion">containerd's config version: 2 for containerd 1.6, 3 for 2.x.</param>
/// <param name="Backend">portmap's backend.</param>
/// <param name="Versions">One line per part naming its version, for the test's output.</param>
public sealed record NodeParts(
    string Name,
    string ContainerdPath,
    string CtrPath,
    string BinDirectory,
    string RuncPath,
    string CniBinDirectory,
    int ConfigVersion,
    PortmapRuleBackend Backend,
    IReadOnlyList<string> Versions)
{
    public const string Debian12 = "debian12";
    public const string TodayIptables = "today-iptables";
    public const string TodayNftables = "today-nftables";

    /// <summary>Every set, in the order the theories run them.</summary>
    public static IReadOnlyList<string> Names { get; } = [Debian12, TodayIptables, TodayNftables];

    /// <summary>The sets whose portmap writes iptables rules.</summary>
    public static IReadOnlyList<string> IptablesNames { get; } = [Debian12, TodayIptables];

    /// <summary>
    /// containerd 2.x keeps sandboxes in a store of its own: one whose pause container was deleted behind CRI's back
    /// (MicroK8s' stop) comes back after a restart as a NOTREADY "ghost", where 1.6 forgets it (reference/today.md).
    /// </summary>
    public bool KeepsGhostSandboxes => ConfigVersion >= 3;

    public bool IsNftables => Backend == PortmapRuleBackend.Nftables;

    public override string ToString() => Name;

    /// <summary>The named set, with the versions of what it found; fails naming a part that is missing.</summary>
    public static async Task<NodeParts> RequireAsync(string name) => name switch
    {
        Debian12 => await Debian12PartsAsync(),
        TodayIptables => await TodaysPartsAsync(TodayIptables, PortmapRuleBackend.Iptables),
        TodayNftables => await TodaysPartsAsync(TodayNftables, PortmapRuleBackend.Nftables),
        _ => throw new ArgumentException($"no set of node parts is named '{name}'", nameof(name)),
    };

    private static async Task<NodeParts> Debian12PartsAsync()
    {
        var containerd = Prerequisites.RequireCommand("containerd", "containerd");
        var ctr = Prerequisites.RequireCommand("ctr", "containerd");
        var shim = Prerequisites.RequireCommand("containerd-shim-runc-v2", "containerd");
        var runc = Prerequisites.RequireCommand("runc", "runc");
        const string cni = "/usr/lib/cni";
        foreach (var plugin in new[] { "bridge", "host-local", "portmap" })
        {
            if (!File.Exists(Path.Combine(cni, plugin)))
            {
                throw new PrerequisiteMissingException(
                    $"this test needs the CNI plugin {cni}/{plugin}: apt-get install containernetworking-plugins (scripts/test.sh installs it when run as root)");
            }
        }
        // Debian builds the CNI plugins without their version ("version unknown"), so the package names it.
        var packages = (await TestCommand.RunAsync("dpkg-query", ["-W", "-f", "${Package} ${Version}\\n", "containerd", "runc", "containernetworking-plugins"]))
            .EnsureSuccess("dpkg-query").StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var version = (await TestCommand.RunAsync(containerd, ["--version"])).EnsureSuccess("containerd --version").StandardOutput.Trim();
        return new NodeParts(
            Debian12, containerd, ctr, Path.GetDirectoryName(shim)!, runc, cni, 2, PortmapRuleBackend.Iptables,
            [.. packages.Select(p => $"{p} (Debian 12, installed)"), $"{containerd} --version: {version}", $"portmap: {cni}/portmap, iptables backend"]);
    }

    private static async Task<NodeParts> TodaysPartsAsync(string name, PortmapRuleBackend backend)
    {
        var parts = await TodaysParts.RequireAsync("containerd", "containernetworking-plugins", "runc");
        var containerd = parts["containerd"];
        var plugins = parts["containernetworking-plugins"];
        var version = (await TestCommand.RunAsync(containerd.PathOf("usr/bin/containerd"), ["--version"])).EnsureSuccess("containerd --version").StandardOutput.Trim();
        var (runcPath, runcLine) = await TodaysRuncAsync(parts["runc"]);
        return new NodeParts(
            name,
            containerd.PathOf("usr/bin/containerd"),
            containerd.PathOf("usr/bin/ctr"),
            containerd.PathOf("usr/bin"),
            runcPath,
            plugins.PathOf("usr/lib/cni"),
            3,
            backend,
            [containerd.Describe(), plugins.Describe(), runcLine, $"containerd --version: {version}", $"portmap: {plugins.PathOf("usr/lib/cni/portmap")}, {backend.ToString().ToLowerInvariant()} backend"]);
    }

    /// <summary>
    /// sid's runc when it runs on this machine's libc. Unlike containerd and the CNI plugins (Go, libc ≥ 2.34), sid's
    /// runc 1.3.6 is built against glibc 2.38 (its nsexec C code calls __isoc23_strtol), which Debian 12 (2.36) does
    /// not have; then the node runs the machine's own runc under today's containerd, and the output says so. runc is
    /// below everything the exporter reads (CRI's sandbox list and portmap's rules), so the stories hold either way.
    /// </summary>
    private static async Task<(string Path, string Line)> TodaysRuncAsync(UnpackedPackage runc)
    {
        var path = runc.PathOf("usr/sbin/runc");
        var probe = await TestCommand.RunAsync(path, ["--version"]);
        if (probe.ExitCode == 0)
        {
            return (path, $"{runc.Describe()}: {probe.StandardOutput.Split('\n')[0]}");
        }
        var cause = probe.StandardError.Trim();
        if (!cause.Contains("GLIBC_", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{path} --version failed: {cause}");
        }
        var system = Prerequisites.RequireCommand("runc", "runc");
        var systemVersion = (await TestCommand.RunAsync(system, ["--version"])).EnsureSuccess("runc --version").StandardOutput.Split('\n')[0];
        return (system, $"runc: {system} ({systemVersion}, Debian 12's) — sid's {runc.Name} {runc.Version} cannot run on this libc: {cause}");
    }
}

/// <summary>One claim on a host port as the node's own tools print it, whichever backend wrote it.</summary>
/// <param name="SandboxId">The sandbox id from portmap's comment.</param>
/// <param name="Destination">The DNAT destination, pod address:container port.</param>
/// <param name="Packets">The DNAT rule's packet counter; null for nftables, whose portmap rules have none.</param>
public sealed record NodeHostPortClaim(string SandboxId, string Destination, long? Packets);
