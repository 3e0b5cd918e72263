using NetfilterExporter.TestSupport;

namespace NetfilterExporter.Tests.Reliability;

/// <summary>
/// Every way a save command can misbehave, injected through a stand-in found first on PATH (or at an explicit
/// path), against the real exporter binary. Each case proves the same promises: /metrics still answers in time,
/// the failing collector says success 0 and exports nothing, the others are untouched, nothing the command
/// started is left running, the log names the cause once, and the next collection after the fault recovers.
/// </summary>
[Collection(HeavyReliabilityCollection.Name)]
public sealed class SaveCommandFaultTests
{
    private const string Collector = "iptables_legacy_ipv4";
    private const int FailingScrapes = 3;

    public static TheoryData<string> Faults => new()
    {
        "hangs",
        "grandchild-holds-stdout",
        "writes-1.5GB",
        "random-bytes",
        "truncated-before-commit",
        "permission-denied",
        "missing-then-appears",
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_faulty_save_command_fails_only_its_collector_and_recovers(string fault)
    {
        using var sandbox = FaultSandbox.Create();
        var healthyIpv4 = RepositoryPaths.Combine("examples", "after-stop-start.legacy-ipv4.txt");
        sandbox.WriteHealthyCommand(sandbox.PathOf("ip6tables-legacy-save"), RepositoryPaths.Combine("tests", "Fixtures", "dumps", "healthy.legacy-ipv6.txt"));
        var (commandPath, expectedCause, timeout) = Inject(fault, sandbox);
        List<string> flags =
        [
            .. Fixture.ConntrackFlags("persistent-etc"),
            "--iptables.backends=legacy",
            "--iptables.families=ipv4,ipv6",
            $"--collector.timeout={timeout.TotalSeconds}s",
            "--collector.min-interval=1ms",
        ];
        if (commandPath != sandbox.PathOf("iptables-legacy-save"))
        {
            flags.Add($"--iptables.save-command.legacy-ipv4={commandPath}");
        }
        await using var ns = await LegacyNatNamespace.CreateAsync();
        await using var exporter = await ExporterProcess.StartAsync(flags, ns, wrapper: ["/usr/bin/env", $"PATH={sandbox.SearchPath}"]);

        for (var scrape = 0; scrape < FailingScrapes; scrape++)
        {
            var metrics = await BoundedScrape.MetricsAsync(exporter, timeout);

            Assert.Equal(0, metrics.Value("netfilter_scrape_collector_success", $"collector={Collector}"));
            Assert.Empty(BoundedScrape.DataOf(metrics, "legacy", "ipv4"));
            Assert.Equal(1, metrics.Value("netfilter_scrape_collector_success", "collector=iptables_legacy_ipv6"));
            Assert.Equal(1, metrics.Value("netfilter_hostport_dnat_rules", "family=ipv6", "port=80"));
            Assert.Equal(1, metrics.Value("netfilter_scrape_collector_success", "collector=conntrack"));
            Assert.Equal(1, metrics.Value("netfilter_conntrack_boot_load_configured"));
            // A killed process can take a moment to be reaped on a busy machine; a leaked one never goes away.
            await Poll.WhetherAsync(TimeSpan.FromSeconds(15), () => sandbox.RunningMarked().Count == 0, cancellationToken: TestContext.Current.CancellationToken);
            var leftovers = sandbox.RunningMarked();
            Assert.True(leftovers.Count == 0, $"processes left running after scrape {scrape + 1}: {string.Join(", ", leftovers)} (recorded: {string.Join(", ", sandbox.RecordedProcessIds())})");
        }

        if (fault == "writes-1.5GB")
        {
            // The cap turns the flood into a failure long before it could be buffered: peak memory stays a fraction of it.
            var peak = HostScan.PeakResidentBytes(exporter.ProcessId);
            Assert.True(peak < 512L * 1024 * 1024, $"peak RSS {peak} bytes while reading 1.5 GB of output");
        }
        sandbox.WriteHealthyCommand(commandPath, healthyIpv4);
        // Step past --collector.min-interval (1ms) so the next scrape starts a collection that sees the repair.
        await Task.Delay(50, TestContext.Current.CancellationToken);
        var recovered = await BoundedScrape.MetricsAsync(exporter, timeout);

        Assert.Equal(1, recovered.Value("netfilter_scrape_collector_success", $"collector={Collector}"));
        Assert.Equal(2, recovered.Value("netfilter_hostport_dnat_rules", "family=ipv4", "port=80"));
        await BoundedScrape.WaitForLogAsync(exporter, $"collector {Collector} recovered");
        var failures = BoundedScrape.LogLines(exporter, $"collector {Collector} failed");
        Assert.True(failures.Count == 1, $"expected the failure logged once over {FailingScrapes} scrapes:\n{exporter.Log}");
        Assert.Contains(expectedCause, failures[0], StringComparison.Ordinal);
        Assert.Empty(BoundedScrape.LogLines(exporter, "collector iptables_legacy_ipv6 failed"));
    }

    /// <returns>The path the exporter runs for legacy IPv4, the text the logged cause must contain, and the collector timeout.</returns>
    private static (string CommandPath, string Cause, TimeSpan Timeout) Inject(string fault, FaultSandbox sandbox)
    {
        var command = sandbox.PathOf("iptables-legacy-save");
        var shortTimeout = TimeSpan.FromSeconds(2);
        var pids = sandbox.PathOf("pids");
        switch (fault)
        {
            case "hangs":
                sandbox.WriteScript(command, $"sleep 1000 &\necho $! >> '{pids}'\nwait");
                return (command, "did not finish within", shortTimeout);
            case "grandchild-holds-stdout":
                // The script exits at once; the background sleep keeps the pipe open, so EOF never comes.
                sandbox.WriteScript(command, $"sleep 1000 &\necho $! >> '{pids}'\nexit 0");
                return (command, "did not finish within", shortTimeout);
            case "writes-1.5GB":
                // Valid rules, so the parser keeps reading and only the output cap can stop it.
                sandbox.WriteScript(command, "echo '*nat'\necho ':KUBE-SERVICES - [0:0]'\nyes -- '-A KUBE-SERVICES -j RETURN' | head -c 1610612736\necho COMMIT");
                return (command, "wrote more than 268435456 bytes", TimeSpan.FromSeconds(60));
            case "random-bytes":
                // Fixed bytes (seeded) so the cause is the same on every scrape, as it would be for a broken binary.
                var bytes = new byte[256 * 1024];
                new Random(6).NextBytes(bytes);
                bytes[0] = 0xFF;
                File.WriteAllBytes(sandbox.PathOf("random.bin"), bytes);
                sandbox.WriteScript(command, $"cat '{sandbox.PathOf("random.bin")}'");
                return (command, "not iptables-save output", shortTimeout);
            case "truncated-before-commit":
                var dump = RepositoryPaths.Combine("examples", "after-stop-start.legacy-ipv4.txt");
                sandbox.WriteScript(command, $"head -n 20 '{dump}'");
                return (command, "no COMMIT (truncated?)", shortTimeout);
            case "permission-denied":
                sandbox.WriteScript(command, "echo 'iptables-legacy-save v1.8.9 (legacy): Cannot initialize: Permission denied (you must be root)' >&2\nexit 1");
                return (command, "Permission denied (you must be root)", shortTimeout);
            case "missing-then-appears":
                Directory.CreateDirectory(sandbox.PathOf("later"));
                return (Path.Combine(sandbox.PathOf("later"), "iptables-legacy-save"), "not found", shortTimeout);
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, "no such fault");
        }
    }
}
