using System.Globalization;
using System.Net;
using System.Runtime.Versioning;
using NetfilterExporter.TestSupport.Cri;

namespace NetfilterExporter.Deployment.Tests;

/// <summary>
/// Runs the unit's ExecStart the way systemd would, without systemd (it is not PID 1 on the build machines):
/// $ARGS expanded from an environment file, systemd's default PATH and nothing else in the environment, as an
/// unprivileged user holding the unit's AmbientCapabilities= (and a drop-in's SupplementaryGroups=) under
/// no_new_privs (setpriv), with the file system read-only as ProtectSystem=strict makes it
/// (<see cref="ProtectSystemStrictReplay"/>), in a network namespace with the after-stop-start dump loaded. The
/// executable comes from <see cref="InstalledExporterCopy"/> instead of /opt/netfilter-exporter (a copy of the
/// Native AOT publish that docs/install.md makes). Not reproduced: PrivateTmp= and the other path-hiding
/// directives, the system-call and the address-family sandbox, which SystemdUnitTests check statically.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class SystemdServiceProcessTests
{
    // DynamicUser= allocates an unused UID at start; nobody stands in for it: no groups, no capabilities.
    private const int UnprivilegedUserId = 65534;

    // systemd's default PATH for services (systemd.exec(5), "Environment variables in spawned processes").
    private const string SystemdPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin";

    // RFC 5737 documentation address in the example environment file; loopback is the node address in the namespace.
    private const string ExampleNodeAddress = "192.0.2.10";
    private const string NodeAddress = "127.0.0.1";

    private const string LegacyIpv4Only = "--iptables.backends=legacy --iptables.families=ipv4";

    // The drop-in that opens the runtime's socket to the unit, and the sandbox ids of examples/after-stop-start.
    private const string CriDropIn = "cri.conf";
    private const string OldIngress = "4b42590d177e8116d1fd471bbc720e9491abd9163a1509fd7252af646e803cbf";
    private const string NewIngress = "d6437fe2be059268620ea6ecf9cbaa70fbce445e1a5358c974ceda661f4fda92";

    private static readonly Uri Listening = new($"http://{NodeAddress}:10066/");

    private readonly SystemdUnit unit = SystemdUnit.Load();

    [Fact]
    public async Task The_example_arguments_are_accepted_and_the_units_capabilities_read_the_legacy_tables()
    {
        var example = SystemdEnvironmentFile.Load();
        Assert.Contains(ExampleNodeAddress, example.GetValueOrDefault("ARGS", ""), StringComparison.Ordinal);
        var environment = example.ToDictionary(pair => pair.Key, pair => pair.Value.Replace(ExampleNodeAddress, NodeAddress, StringComparison.Ordinal), StringComparer.Ordinal);

        var (metrics, log) = await ScrapeAsUnprivilegedUserAsync(unit.ServiceSet("AmbientCapabilities").ToList(), environment, expectedLog: null);

        Assert.True(metrics.Value("netfilter_scrape_collector_success", "collector=iptables_legacy_ipv4") == 1, $"iptables_legacy_ipv4 failed; exporter log:\n{log}");
        Assert.Equal(1, metrics.Value("netfilter_hostport_dnat_duplicates", "backend=legacy", "family=ipv4", "protocol=tcp", "port=80"));
    }

    [Fact]
    public async Task With_the_units_two_ambient_capabilities_an_unprivileged_user_reads_the_legacy_tables()
    {
        var capabilities = unit.ServiceSet("AmbientCapabilities").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["CAP_NET_ADMIN", "CAP_NET_RAW"], capabilities);

        var (metrics, log) = await ScrapeAsUnprivilegedUserAsync(capabilities, ListeningOnTheNode(LegacyIpv4Only), expectedLog: null);

        Assert.True(metrics.Value("netfilter_scrape_collector_success", "collector=iptables_legacy_ipv4") == 1, $"iptables_legacy_ipv4 failed; exporter log:\n{log}");
        Assert.Equal(1, metrics.Value("netfilter_hostport_dnat_duplicates", "backend=legacy", "family=ipv4", "protocol=tcp", "port=80"));
        Assert.Equal(2, metrics.Value("netfilter_hostport_dnat_rules", "backend=legacy", "family=ipv4", "protocol=tcp", "port=80"));
    }

    [Fact]
    public async Task Without_capabilities_the_collector_fails_and_the_log_says_it_needs_cap_net_admin()
    {
        var (metrics, _) = await ScrapeAsUnprivilegedUserAsync([], ListeningOnTheNode(LegacyIpv4Only), expectedLog: "needs CAP_NET_ADMIN");

        Assert.Equal(0, metrics.Value("netfilter_scrape_collector_success", "collector=iptables_legacy_ipv4"));
        Assert.Empty(metrics.Find("netfilter_hostport_dnat_rules"));
    }

    /// <summary>
    /// containerd's socket is root-owned, mode 0660. With [grpc] gid set to the drop-in's group, the unit's dynamic
    /// user reaches it through SupplementaryGroups= alone: no capability, no other group, and the socket's file system
    /// read-only as ProtectSystem=strict leaves it (connect() needs write permission on the socket, not a writable mount).
    /// </summary>
    [Fact]
    public async Task With_the_cri_drop_ins_group_the_unit_lists_the_runtimes_sandboxes_through_a_root_owned_socket_on_a_read_only_file_system()
    {
        var groupId = FreeGroupId();
        using var runtimeDirectory = new TemporaryDirectory("nfx-cri-");
        await using var runtime = await StartRestrictedRuntimeAsync(runtimeDirectory, groupId);

        var (metrics, log) = await ScrapeAsUnprivilegedUserAsync(unit.ServiceSet("AmbientCapabilities").ToList(),
            ListeningOnTheNode($"{LegacyIpv4Only} --cri.endpoint={runtime.Endpoint}"), expectedLog: null,
            DropInGroupIds(groupId), Path.GetDirectoryName(runtime.SocketPath));

        Assert.True(metrics.Value("netfilter_scrape_collector_success", "collector=cri") == 1, $"cri failed; exporter log:\n{log}");
        Assert.Equal(1, metrics.Value("netfilter_cri_sandboxes", "state=ready"));
        string[] port80 = ["backend=legacy", "family=ipv4", "protocol=tcp", "port=80"];
        Assert.Equal(1, metrics.Value("netfilter_hostport_dnat_rule_info", [.. port80, "position=1", $"container_id={OldIngress}", "state=stale"]));
        Assert.Equal(1, metrics.Value("netfilter_hostport_dnat_rule_info", [.. port80, "position=2", $"container_id={NewIngress}", "state=live", "pod_namespace=ingress"]));
        Assert.Equal(1, metrics.Value("netfilter_hostport_winner_stale", port80));
    }

    /// <summary>The unit without the drop-in: the socket refuses its user, the log says so, and the host ports are still served.</summary>
    [Fact]
    public async Task Without_the_cri_drop_in_the_runtime_socket_refuses_the_units_user_and_the_log_says_permission_denied()
    {
        using var runtimeDirectory = new TemporaryDirectory("nfx-cri-");
        await using var runtime = await StartRestrictedRuntimeAsync(runtimeDirectory, FreeGroupId());

        var (metrics, log) = await ScrapeAsUnprivilegedUserAsync(unit.ServiceSet("AmbientCapabilities").ToList(),
            ListeningOnTheNode($"{LegacyIpv4Only} --cri.endpoint={runtime.Endpoint}"), expectedLog: "Permission denied",
            supplementaryGroupIds: null, Path.GetDirectoryName(runtime.SocketPath));

        Assert.Equal(0, metrics.Value("netfilter_scrape_collector_success", "collector=cri"));
        Assert.Contains($"cannot talk to the CRI runtime at {runtime.SocketPath}: Permission denied", log, StringComparison.Ordinal);
        Assert.Equal(0, runtime.ListPodSandboxCalls);
        Assert.Equal(2, metrics.Value("netfilter_hostport_dnat_rules", "backend=legacy", "family=ipv4", "protocol=tcp", "port=80"));
        Assert.Equal(2, metrics.Find("netfilter_hostport_dnat_rule_info", "port=80", "state=unknown").Count);
        Assert.Empty(metrics.Find("netfilter_cri_sandboxes"));
    }

    /// <summary>
    /// What docs/install.md tells containerd users to do, on real containerd: [grpc] gid makes its socket
    /// root:GID 0660 in its 0711 state directory, and the unit with the drop-in's group lists its sandboxes (none).
    /// </summary>
    [Fact]
    public async Task Containerds_grpc_gid_gives_its_socket_to_the_cri_drop_ins_group()
    {
        var groupId = FreeGroupId();
        await using var containerd = await RealContainerdSocket.StartAsync(groupId, TestContext.Current.CancellationToken);

        Assert.Equal($"0 {groupId} 660 socket", await StatAsync(containerd.SocketPath));
        Assert.Equal("0 0 711 directory", await StatAsync(Path.GetDirectoryName(containerd.SocketPath)!));
        var (metrics, log) = await ScrapeAsUnprivilegedUserAsync(unit.ServiceSet("AmbientCapabilities").ToList(),
            ListeningOnTheNode($"{LegacyIpv4Only} --cri.endpoint=unix://{containerd.SocketPath}"), expectedLog: null,
            DropInGroupIds(groupId), Path.GetDirectoryName(containerd.SocketPath));

        Assert.True(metrics.Value("netfilter_scrape_collector_success", "collector=cri") == 1, $"cri failed; exporter log:\n{log}\ncontainerd log:\n{containerd.Log}");
        Assert.Equal(0, metrics.Value("netfilter_cri_sandboxes", "state=ready"));
        // containerd lists neither sandbox of the dump: both claims are stale.
        Assert.Equal(2, metrics.Find("netfilter_hostport_dnat_rule_info", "port=80", "state=stale").Count);
    }

    private static Dictionary<string, string> ListeningOnTheNode(string flags) =>
        new(StringComparer.Ordinal) { ["ARGS"] = $"{flags} --web.listen-address={NodeAddress}:10066" };

    /// <summary>
    /// A runtime as containerd lays it out on a node: the socket root:GID 0660 in a 0711 directory, answering the
    /// new ingress sandbox of the dump as ready.
    /// </summary>
    private static async Task<FakeCriRuntime> StartRestrictedRuntimeAsync(TemporaryDirectory directory, int groupId)
    {
        var socketDirectory = directory.Combine("run", "containerd");
        Directory.CreateDirectory(socketDirectory);
        File.SetUnixFileMode(socketDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        var runtime = await FakeCriRuntime.StartAtAsync(Path.Combine(socketDirectory, "containerd.sock"),
            FakeCriBehaviour.Sandboxes(PodSandboxes.Ready(NewIngress, "ingress", "nginx-ingress-microk8s-controller-9xk2d")),
            TestContext.Current.CancellationToken);
        try
        {
            // What containerd does with its [grpc] uid and gid: the socket's owner, group and mode 0660.
            File.SetUnixFileMode(runtime.SocketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
            (await TestCommand.RunAsync("chown", [$"0:{groupId}", runtime.SocketPath])).EnsureSuccess($"chown 0:{groupId} {runtime.SocketPath}");
            Assert.Equal($"0 {groupId} 660 socket", await StatAsync(runtime.SocketPath));
            return runtime;
        }
        catch
        {
            await runtime.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The drop-in's groups as ids: it names one group (SupplementaryGroups=cri-socket), which the operator creates;
    /// <paramref name="groupId"/>, unused on this machine, stands in for it.
    /// </summary>
    private static IReadOnlyList<int> DropInGroupIds(int groupId)
    {
        var unit = SystemdUnit.Load(CriDropIn);
        Assert.Single(unit.ServiceSet("SupplementaryGroups"));
        return [groupId];
    }

    /// <summary>A group id no group of this machine has, so only what the test grants gives it access.</summary>
    private static int FreeGroupId()
    {
        var used = File.ReadLines("/etc/group")
            .Select(line => line.Split(':'))
            .Where(fields => fields.Length > 2)
            .Select(fields => int.Parse(fields[2], CultureInfo.InvariantCulture))
            .ToHashSet();
        return Enumerable.Range(60_000, 5_000).First(id => !used.Contains(id));
    }

    /// <summary>"uid gid mode type", e.g. "0 60000 660 socket".</summary>
    private static async Task<string> StatAsync(string path) =>
        (await TestCommand.RunAsync("stat", ["--format=%u %g %a %F", path])).EnsureSuccess($"stat {path}").StandardOutput.Trim();

    /// <summary>
    /// MemoryDenyWriteExecute=yes is only possible without a JIT. The wrapper that stands in for it must be able
    /// to fail: the JIT build of the same sources (this test's build output) crashes under it, the shipped
    /// binary does not.
    /// </summary>
    [Fact]
    public async Task Memory_deny_write_execute_stops_a_jit_build_but_not_the_shipped_binary()
    {
        Assert.Equal("yes", unit.Service("MemoryDenyWriteExecute"));
        using var wrapper = await MemoryDenyWriteExecuteWrapper.BuildAsync();

        var jit = await TestCommand.RunAsync(wrapper.Executable, [Path.Combine(AppContext.BaseDirectory, ProjectProperties.AssemblyName), "--version"]);
        var shipped = await TestCommand.RunAsync(wrapper.Executable, [ExporterProcess.BinaryPath, "--version"]);

        Assert.True(jit.ExitCode != 0, $"the JIT build ran under PR_SET_MDWE, so the wrapper proves nothing: {jit.StandardOutput}{jit.StandardError}");
        Assert.True(shipped.ExitCode == 0, $"the shipped binary failed under PR_SET_MDWE ({shipped.ExitCode}): {shipped.StandardError}");
        Assert.StartsWith("netfilter-exporter ", shipped.StandardOutput, StringComparison.Ordinal);
    }

    /// <summary>Starts ExecStart with <paramref name="environmentFile"/>'s variables, scrapes once and checks the log.</summary>
    /// <param name="supplementaryGroupIds">The groups a drop-in's SupplementaryGroups= gives; none when null.</param>
    /// <param name="mustBeReadOnly">A directory the ProtectSystem=strict replay must have made read-only; the installed copy's when null.</param>
    private async Task<(ScrapedMetrics Metrics, string Log)> ScrapeAsUnprivilegedUserAsync(
        IReadOnlyList<string> capabilities, IReadOnlyDictionary<string, string> environmentFile, string? expectedLog,
        IReadOnlyList<int>? supplementaryGroupIds = null, string? mustBeReadOnly = null)
    {
        Prerequisites.RequireCommand("setpriv", "util-linux");
        Prerequisites.RequireCommand("unshare", "util-linux");
        var dump = await File.ReadAllTextAsync(RepositoryPaths.Combine("examples", "after-stop-start.legacy-ipv4.txt"));
        using var installed = new InstalledExporterCopy();
        using var memoryDenyWriteExecute = await MemoryDenyWriteExecuteWrapper.BuildAsync();
        IReadOnlyList<string> kernelSettings = unit.Service("MemoryDenyWriteExecute") == "yes" ? [memoryDenyWriteExecute.Executable] : [];
        IReadOnlyList<string> readOnlySystem = unit.Service("ProtectSystem") == "strict" ? ProtectSystemStrictReplay.Command(mustBeReadOnly ?? installed.InstallPath) : [];
        var command = SystemdExecStart.Expand(unit.Service("ExecStart") ?? throw new ManifestException($"{SystemdUnit.Path} has no ExecStart="), environmentFile);
        var executable = command[0];
        var user = new SetprivWrapper(UnprivilegedUserId, capabilities, unit.Service("NoNewPrivileges") == "yes", supplementaryGroupIds);
        // As systemd builds it: Environment=, then EnvironmentFile= on top, and its default PATH.
        var environment = new Dictionary<string, string>(unit.Environment(), StringComparer.Ordinal);
        foreach (var (name, value) in environmentFile)
        {
            environment[name] = value;
        }
        environment["PATH"] = SystemdPath;
        await using var node = await NetworkNamespace.CreateAsync();
        await node.RestoreAsync("iptables-legacy-restore", dump);

        await using var exporter = await ExactCommandExporter.StartAsync(
            node,
            [.. kernelSettings, .. readOnlySystem, .. user.Command(), Path.Combine(installed.InstallPath, Path.GetFileName(executable)), .. command.Skip(1)],
            Listening,
            environment);
        var health = await exporter.GetAsync("healthz");
        var scrape = await exporter.GetAsync("metrics");

        Assert.Equal(HttpStatusCode.OK, health.Status);
        Assert.True(scrape.Status == HttpStatusCode.OK, $"/metrics answered {scrape.Status}:\n{scrape.Body}\n{exporter.Log}");
        if (readOnlySystem.Count > 0)
        {
            Assert.Contains($"ProtectSystem=strict replay: {mustBeReadOnly ?? installed.InstallPath} is read-only", exporter.Log, StringComparison.Ordinal);
        }
        if (expectedLog is not null)
        {
            Assert.True(await exporter.WaitForLogAsync(expectedLog, TimeSpan.FromSeconds(30)), $"'{expectedLog}' not in the exporter's log:\n{exporter.Log}");
        }
        return (ScrapedMetrics.Parse(scrape.Body), exporter.Log);
    }
}
