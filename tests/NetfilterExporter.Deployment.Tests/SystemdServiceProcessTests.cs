using System.Net;
using System.Runtime.Versioning;

namespace NetfilterExporter.Deployment.Tests;

/// <summary>
/// Runs the unit's ExecStart the way systemd would, without systemd (it is not PID 1 on the build machines):
/// $ARGS expanded from an environment file, systemd's default PATH and nothing else in the environment, as an
/// unprivileged user holding the unit's AmbientCapabilities= under no_new_privs (setpriv), in a network
/// namespace with the after-stop-start dump loaded. The executable comes from <see cref="InstalledExporterCopy"/>
/// instead of /opt/netfilter-exporter (a copy of the Native AOT publish that docs/install.md makes). Not reproduced: the file-system, system-call and address-family
/// sandbox, which systemd-analyze checks statically.
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

    private static readonly Uri Listening = new($"http://{NodeAddress}:10066/");

    private readonly SystemdUnit _unit = SystemdUnit.Load();

    [Fact]
    public async Task TheExampleArgumentsAreAcceptedAndTheUnitsCapabilitiesReadTheLegacyTables()
    {
        var example = SystemdEnvironmentFile.Load();
        Assert.Contains(ExampleNodeAddress, example.GetValueOrDefault("ARGS", ""), StringComparison.Ordinal);
        var environment = example.ToDictionary(pair => pair.Key, pair => pair.Value.Replace(ExampleNodeAddress, NodeAddress, StringComparison.Ordinal), StringComparer.Ordinal);

        var (metrics, log) = await ScrapeAsUnprivilegedUserAsync(_unit.ServiceSet("AmbientCapabilities").ToList(), environment, expectedLog: null);

        Assert.True(metrics.Value("netfilter_scrape_collector_success", "collector=iptables_legacy_ipv4") == 1, $"iptables_legacy_ipv4 failed; exporter log:\n{log}");
        Assert.Equal(1, metrics.Value("netfilter_hostport_dnat_duplicates", "backend=legacy", "family=ipv4", "protocol=tcp", "port=80"));
    }

    [Fact]
    public async Task WithTheUnitsTwoAmbientCapabilitiesAnUnprivilegedUserReadsTheLegacyTables()
    {
        var capabilities = _unit.ServiceSet("AmbientCapabilities").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["CAP_NET_ADMIN", "CAP_NET_RAW"], capabilities);

        var (metrics, log) = await ScrapeAsUnprivilegedUserAsync(capabilities, ListeningOnTheNode(LegacyIpv4Only), expectedLog: null);

        Assert.True(metrics.Value("netfilter_scrape_collector_success", "collector=iptables_legacy_ipv4") == 1, $"iptables_legacy_ipv4 failed; exporter log:\n{log}");
        Assert.Equal(1, metrics.Value("netfilter_hostport_dnat_duplicates", "backend=legacy", "family=ipv4", "protocol=tcp", "port=80"));
        Assert.Equal(2, metrics.Value("netfilter_hostport_dnat_rules", "backend=legacy", "family=ipv4", "protocol=tcp", "port=80"));
    }

    [Fact]
    public async Task WithoutCapabilitiesTheCollectorFailsAndTheLogSaysItNeedsCapNetAdmin()
    {
        var (metrics, _) = await ScrapeAsUnprivilegedUserAsync([], ListeningOnTheNode(LegacyIpv4Only), expectedLog: "needs CAP_NET_ADMIN");

        Assert.Equal(0, metrics.Value("netfilter_scrape_collector_success", "collector=iptables_legacy_ipv4"));
        Assert.Empty(metrics.Find("netfilter_hostport_dnat_rules"));
    }

    private static Dictionary<string, string> ListeningOnTheNode(string flags) =>
        new(StringComparer.Ordinal) { ["ARGS"] = $"{flags} --web.listen-address={NodeAddress}:10066" };

    /// <summary>Starts ExecStart with <paramref name="environmentFile"/>'s variables, scrapes once and checks the log.</summary>
    /// <summary>
    /// MemoryDenyWriteExecute=yes is only possible without a JIT. The wrapper that stands in for it must be able
    /// to fail: the JIT build of the same sources (this test's build output) crashes under it, the shipped
    /// binary does not.
    /// </summary>
    [Fact]
    public async Task MemoryDenyWriteExecuteStopsAJitBuildButNotTheShippedBinary()
    {
        Assert.Equal("yes", _unit.Service("MemoryDenyWriteExecute"));
        using var wrapper = await MemoryDenyWriteExecuteWrapper.BuildAsync();

        var jit = await TestCommand.RunAsync(wrapper.Executable, [Path.Combine(AppContext.BaseDirectory, ProjectProperties.AssemblyName), "--version"]);
        var shipped = await TestCommand.RunAsync(wrapper.Executable, [ExporterProcess.BinaryPath, "--version"]);

        Assert.True(jit.ExitCode != 0, $"the JIT build ran under PR_SET_MDWE, so the wrapper proves nothing: {jit.StandardOutput}{jit.StandardError}");
        Assert.True(shipped.ExitCode == 0, $"the shipped binary failed under PR_SET_MDWE ({shipped.ExitCode}): {shipped.StandardError}");
        Assert.StartsWith("netfilter-exporter ", shipped.StandardOutput, StringComparison.Ordinal);
    }

    private async Task<(ScrapedMetrics Metrics, string Log)> ScrapeAsUnprivilegedUserAsync(
        IReadOnlyList<string> capabilities, IReadOnlyDictionary<string, string> environmentFile, string? expectedLog)
    {
        Prerequisites.RequireCommand("setpriv", "util-linux");
        var dump = await File.ReadAllTextAsync(RepositoryPaths.Combine("examples", "after-stop-start.legacy-ipv4.txt"));
        using var installed = new InstalledExporterCopy();
        using var memoryDenyWriteExecute = await MemoryDenyWriteExecuteWrapper.BuildAsync();
        IReadOnlyList<string> kernelSettings = _unit.Service("MemoryDenyWriteExecute") == "yes" ? [memoryDenyWriteExecute.Executable] : [];
        var command = SystemdExecStart.Expand(_unit.Service("ExecStart") ?? throw new ManifestException($"{SystemdUnit.Path} has no ExecStart="), environmentFile);
        var executable = command[0];
        var user = new SetprivWrapper(UnprivilegedUserId, capabilities, _unit.Service("NoNewPrivileges") == "yes");
        // As systemd builds it: Environment=, then EnvironmentFile= on top, and its default PATH.
        var environment = new Dictionary<string, string>(_unit.Environment(), StringComparer.Ordinal);
        foreach (var (name, value) in environmentFile)
        {
            environment[name] = value;
        }
        environment["PATH"] = SystemdPath;
        await using var node = await NetworkNamespace.CreateAsync();
        await node.RestoreAsync("iptables-legacy-restore", dump);

        await using var exporter = await ExactCommandExporter.StartAsync(
            node,
            [.. kernelSettings, .. user.Command(), Path.Combine(installed.InstallPath, Path.GetFileName(executable)), .. command.Skip(1)],
            Listening,
            environment);
        var health = await exporter.GetAsync("healthz");
        var scrape = await exporter.GetAsync("metrics");

        Assert.Equal(HttpStatusCode.OK, health.Status);
        Assert.True(scrape.Status == HttpStatusCode.OK, $"/metrics answered {scrape.Status}:\n{scrape.Body}\n{exporter.Log}");
        if (expectedLog is not null)
        {
            Assert.True(await exporter.WaitForLogAsync(expectedLog, TimeSpan.FromSeconds(30)), $"'{expectedLog}' not in the exporter's log:\n{exporter.Log}");
        }
        return (ScrapedMetrics.Parse(scrape.Body), exporter.Log);
    }
}
