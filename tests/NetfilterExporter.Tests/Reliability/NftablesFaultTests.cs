using System.Text.Json;
using NetfilterExporter.HostPorts;
using NetfilterExporter.TestSupport;

namespace NetfilterExporter.Tests.Reliability;

/// <summary>
/// Every way <c>nft -j list table</c> can fail the <c>nftables_ipv4</c> collector, against the real exporter binary in a
/// namespace: a stand-in nft answers for <c>ip</c> and prints a healthy listing for <c>ip6</c>, beside a healthy legacy
/// save command and the conntrack fixture. Each case proves: /metrics still answers in time, nftables_ipv4 says
/// success 0 and exports no data, the other sources (nftables_ipv6 included) keep theirs, nothing nft started is left
/// running, the cause is logged once and printed by <c>check</c>, and the next collection after the repair recovers.
/// </summary>
[Collection(HeavyReliabilityCollection.Name)]
public sealed class NftablesFaultTests
{
    private const string Collector = "nftables_ipv4";
    private const int FailingScrapes = 2;
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromSeconds(2);

    public static TheoryData<string> Faults => new()
    {
        "missing-named",
        "missing-at-flag",
        "hangs",
        "fails",
        "writes-300MB",
        "garbage-json",
        "redirect-rule",
        "port-set-rule",
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_faulty_nft_fails_only_its_collector_and_recovers(string fault)
    {
        using var sandbox = FaultSandbox.Create();
        using var hidden = new HiddenSaveCommands();
        sandbox.WriteHealthyCommand(sandbox.PathOf("iptables-legacy-save"), RepositoryPaths.Combine("examples", "after-stop-start.legacy-ipv4.txt"));
        await using var ns = await LegacyNatNamespace.CreateAsync();
        var fake = await InjectAsync(fault, sandbox, ns);
        List<string> flags =
        [
            .. Fixture.ConntrackFlags("persistent-etc"),
            "--iptables.backends=legacy",
            "--iptables.families=ipv4",
            $"--collector.timeout={fake.Timeout.TotalSeconds}s",
            "--collector.min-interval=1ms",
            .. fake.Flags,
        ];
        // nft lives in /usr/sbin, which the exporter searches whatever PATH says: hiding it needs the sbin directories hidden.
        IReadOnlyList<string> wrapper = [.. fake.HideSbin ? hidden.Wrapper : [], "/usr/bin/env", $"PATH={sandbox.SearchPath}"];

        var check = await ns.ExecAsync(wrapper[0], [.. wrapper.Skip(1), ExporterProcess.BinaryPath, "check", "--output=json", .. flags], timeout: BoundedScrape.Bound(fake.Timeout));
        var collectors = CheckedCollectors(check);
        Assert.Equal((false, true), (collectors[Collector].Success, collectors[Collector].Error.Contains(fake.Cause, StringComparison.Ordinal)));
        Assert.Equal((true, ""), collectors["iptables_legacy_ipv4"]);
        Assert.Equal((true, ""), collectors["conntrack"]);
        Assert.Equal(fake.Ipv6, collectors.TryGetValue("nftables_ipv6", out var ipv6) ? ipv6.Success ? Ipv6.Healthy : Ipv6.Failed : Ipv6.Skipped);
        await Poll.WhetherAsync(TimeSpan.FromSeconds(15), () => sandbox.RunningMarked().Count == 0, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Empty(sandbox.RunningMarked());

        await using var exporter = await ExporterProcess.StartAsync(flags, ns, wrapper);
        for (var scrape = 0; scrape < FailingScrapes; scrape++)
        {
            var metrics = await BoundedScrape.MetricsAsync(exporter, fake.Timeout);

            Assert.Equal(0, metrics.Value("netfilter_scrape_collector_success", $"collector={Collector}"));
            Assert.Empty(BoundedScrape.DataOf(metrics, "nftables", "ipv4"));
            Assert.Equal(1, metrics.Value("netfilter_scrape_collector_success", "collector=iptables_legacy_ipv4"));
            Assert.Equal(2, metrics.Value("netfilter_hostport_dnat_rules", "backend=legacy", "family=ipv4", "port=80"));
            Assert.Equal(1, metrics.Value("netfilter_scrape_collector_success", "collector=conntrack"));
            Assert.Equal(1, metrics.Value("netfilter_conntrack_boot_load_configured"));
            switch (fake.Ipv6)
            {
                case Ipv6.Healthy:
                    Assert.Equal(1, metrics.Value("netfilter_scrape_collector_success", "collector=nftables_ipv6"));
                    Assert.Equal(2, metrics.Value("netfilter_hostport_dnat_rules", "backend=nftables", "family=ipv6", "port=80"));
                    break;
                case Ipv6.Failed:
                    // --nftables.command names one nft for both families.
                    Assert.Equal(0, metrics.Value("netfilter_scrape_collector_success", "collector=nftables_ipv6"));
                    break;
                default:
                    Assert.Empty(metrics.Find("netfilter_scrape_collector_success", "collector=nftables_ipv6"));
                    break;
            }
            // A killed nft can take a moment to be reaped on a busy machine; a leaked one never goes away.
            await Poll.WhetherAsync(TimeSpan.FromSeconds(15), () => sandbox.RunningMarked().Count == 0, cancellationToken: TestContext.Current.CancellationToken);
            var leftovers = sandbox.RunningMarked();
            Assert.True(leftovers.Count == 0, $"processes left running after scrape {scrape + 1}: {string.Join(", ", leftovers)} (recorded: {string.Join(", ", sandbox.RecordedProcessIds())})");
        }
        if (fault == "hangs")
        {
            // Every nft the fault started was killed at --collector.timeout, and so was the sleep it left in the background.
            var recorded = sandbox.RecordedProcessIds();
            Assert.True(recorded.Count >= 2 * (FailingScrapes + 1), $"recorded only {string.Join(", ", recorded)}");
            Assert.DoesNotContain(recorded, HostScan.IsAlive);
        }
        if (fault == "writes-300MB")
        {
            // The cap turns the flood into a failure before the whole of it is held: peak memory stays bounded.
            var peak = HostScan.PeakResidentBytes(exporter.ProcessId);
            Assert.True(peak < 512L * 1024 * 1024, $"peak RSS {peak} bytes while reading 300 MB of output");
        }

        await fake.RepairAsync();
        // Step past --collector.min-interval (1ms) so the next scrape starts a collection that sees the repair.
        await Task.Delay(50, TestContext.Current.CancellationToken);
        var recovered = await BoundedScrape.MetricsAsync(exporter, fake.Timeout);

        Assert.Equal(1, recovered.Value("netfilter_scrape_collector_success", $"collector={Collector}"));
        Assert.Equal(2, recovered.Value("netfilter_hostport_dnat_rules", "backend=nftables", "family=ipv4", "port=80"));
        await BoundedScrape.WaitForLogAsync(exporter, $"collector {Collector} recovered");
        var failures = BoundedScrape.LogLines(exporter, $"collector {Collector} failed");
        Assert.True(failures.Count == 1, $"expected the failure logged once over {FailingScrapes} scrapes:\n{exporter.Log}");
        // The log is logfmt: quotes in the message are escaped.
        Assert.Contains(fake.Cause, failures[0].Replace("\\\"", "\"", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(1, recovered.Value("netfilter_scrape_collector_success", "collector=nftables_ipv6"));
        Assert.Equal(fake.Ipv6 == Ipv6.Failed ? 1 : 0, BoundedScrape.LogLines(exporter, "collector nftables_ipv6 failed").Count);
        Assert.Empty(BoundedScrape.LogLines(exporter, "collector iptables_legacy_ipv4 failed"));
        Assert.Empty(BoundedScrape.LogLines(exporter, "collector conntrack failed"));
    }

    [Fact]
    public async Task In_auto_a_node_without_nft_skips_the_collectors_silently()
    {
        using var sandbox = FaultSandbox.Create();
        using var hidden = new HiddenSaveCommands();
        sandbox.WriteHealthyCommand(sandbox.PathOf("iptables-legacy-save"), RepositoryPaths.Combine("examples", "after-stop-start.legacy-ipv4.txt"));
        await using var ns = await LegacyNatNamespace.CreateAsync();
        await using var exporter = await ExporterProcess.StartAsync(
            ["--iptables.backends=legacy", "--iptables.families=ipv4", "--collector.min-interval=1ms"],
            ns,
            [.. hidden.Wrapper, "/usr/bin/env", $"PATH={sandbox.SearchPath}"]);

        var metrics = await BoundedScrape.MetricsAsync(exporter, ShortTimeout);

        Assert.Equal(1, metrics.Value("netfilter_scrape_collector_success", "collector=iptables_legacy_ipv4"));
        Assert.Equal(2, metrics.Value("netfilter_hostport_dnat_rules", "backend=legacy", "family=ipv4", "port=80"));
        Assert.Empty(metrics.Find("netfilter_scrape_collector_success", "collector=nftables_ipv4"));
        Assert.Empty(metrics.Find("netfilter_scrape_collector_success", "collector=nftables_ipv6"));
        Assert.DoesNotContain(metrics.Series, series => series.Labels.TryGetValue("backend", out var backend) && backend == "nftables");
        Assert.Contains("collector=nftables_ipv4", Assert.Single(BoundedScrape.LogLines(exporter, "Enabled collector nftables_ipv4: nothing to read now")), StringComparison.Ordinal);
        AssertNoErrorsLogged(exporter);
    }

    [Fact]
    public async Task In_auto_a_node_without_portmaps_table_reads_as_no_table()
    {
        Prerequisites.RequireCommand("nft", "nftables");
        await using var ns = await LegacyNatNamespace.CreateAsync();
        // Another table of the family exists, so nft itself works here: only cni_hostport is missing.
        (await ns.ExecAsync("nft", ["add", "table", "ip", "filter"])).EnsureSuccess("nft add table ip filter");
        await using var exporter = await ExporterProcess.StartAsync(["--iptables.backends=legacy", "--iptables.families=ipv4", "--collector.min-interval=1ms"], ns);

        var metrics = await BoundedScrape.MetricsAsync(exporter, ShortTimeout);
        var check = CheckedCollectors(await ns.ExecAsync(ExporterProcess.BinaryPath, ["check", "--output=json", "--iptables.backends=legacy", "--iptables.families=ipv4"]));

        foreach (var family in new[] { "ipv4", "ipv6" })
        {
            Assert.Equal(1, metrics.Value("netfilter_scrape_collector_success", $"collector=nftables_{family}"));
            Assert.Equal(0, metrics.Value("netfilter_hostport_chain_present", "backend=nftables", $"family={family}"));
            Assert.Equal((true, ""), check[$"nftables_{family}"]);
        }
        Assert.Empty(metrics.Find("netfilter_hostport_dnat_rules", "backend=nftables"));
        AssertNoErrorsLogged(exporter);
    }

    private static void AssertNoErrorsLogged(ExporterProcess exporter)
    {
        Assert.Contains("Enabled collector iptables_legacy_ipv4", exporter.Log, StringComparison.Ordinal);
        Assert.Empty(BoundedScrape.LogLines(exporter, "level=error"));
        Assert.Empty(BoundedScrape.LogLines(exporter, "level=warn"));
        Assert.Empty(BoundedScrape.LogLines(exporter, "failed"));
    }

    /// <summary>What <c>check --output json</c> said of each collector: success and error ("" when none).</summary>
    private static Dictionary<string, (bool Success, string Error)> CheckedCollectors(CommandResult check)
    {
        using var report = JsonDocument.Parse(check.StandardOutput);
        return report.RootElement.GetProperty("collectors").EnumerateArray().ToDictionary(
            collector => collector.GetProperty("name").GetString()!,
            collector => (collector.GetProperty("success").GetBoolean(), collector.GetProperty("error").GetString() ?? ""));
    }

    /// <summary>What becomes of nftables_ipv6 during the fault.</summary>
    private enum Ipv6
    {
        Healthy,
        Failed,
        Skipped,
    }

    /// <summary>The stand-in nft of one fault, and how to take the fault away again.</summary>
    private sealed record FakeNft(IReadOnlyList<string> Flags, string Cause, TimeSpan Timeout, bool HideSbin, Ipv6 Ipv6, Func<Task> RepairAsync);

    private static async Task<FakeNft> InjectAsync(string fault, FaultSandbox sandbox, NetworkNamespace ns)
    {
        var nft = sandbox.PathOf("nft");
        var healthy4 = NftablesListings.Path("v1.9-after-stop-start");
        var healthy6 = NftablesListings.Path("v1.9-after-stop-start.ipv6");
        var pids = sandbox.PathOf("pids");
        // The collectors run: nft -j list table FAMILY cni_hostport. ip6 is always healthy; ip does what the fault says.
        string Script(string ipv4) => $"if [ \"$4\" = ip6 ]; then cat '{healthy6}'; exit 0; fi\n{ipv4}";
        Task Heal()
        {
            sandbox.WriteScript(nft, Script($"cat '{healthy4}'"));
            return Task.CompletedTask;
        }
        FakeNft Faulty(string ipv4, string cause, TimeSpan? timeout = null)
        {
            sandbox.WriteScript(nft, Script(ipv4));
            return new FakeNft([$"--nftables.command={nft}"], cause, timeout ?? ShortTimeout, false, Ipv6.Healthy, Heal);
        }
        switch (fault)
        {
            case "missing-named":
                // No nft anywhere; the collector asked for by name fails, nftables_ipv6 (not named) is skipped silently.
                return new FakeNft(["--collector.nftables_ipv4"], "nft not found (searched PATH", ShortTimeout, true, Ipv6.Skipped, Heal);
            case "missing-at-flag":
                var later = sandbox.PathOf("later");
                Directory.CreateDirectory(later);
                return new FakeNft([$"--nftables.command={Path.Combine(later, "nft")}"], $"nft not found at --nftables.command={Path.Combine(later, "nft")}", ShortTimeout, false, Ipv6.Failed, () =>
                {
                    sandbox.WriteScript(Path.Combine(later, "nft"), Script($"cat '{healthy4}'"));
                    return Task.CompletedTask;
                });
            case "hangs":
                return Faulty($"sleep 1000 &\necho $! >> '{pids}'\nwait", "did not finish within");
            case "fails":
                return Faulty("echo 'netlink: Error: cache initialization failed: Protocol not supported' >&2\nexit 1", "cache initialization failed: Protocol not supported");
            case "writes-300MB":
                // Valid JSON objects as far as it goes, so only the output cap can stop it.
                return Faulty("echo '{\"nftables\": ['\nyes -- '{\"metainfo\": {\"version\": \"1.0.6\"}},' | head -c 314572800", $"wrote more than {NftablesCollector.OutputLimitBytes} bytes", TimeSpan.FromSeconds(60));
            case "garbage-json":
                return Faulty("printf '{\"nftables\": [{\"metainfo\": {\"version\": \"1.0.6\"}}, {\"table\": '", "not the JSON of nft -j list table");
            case "redirect-rule":
                return await RealNftAsync(sandbox, ns, "tcp dport 8080 redirect to :80", "in chain hostports: a redirect statement, a rule portmap does not write");
            case "port-set-rule":
                return await RealNftAsync(sandbox, ns, "tcp dport { 80, 443 } dnat to 10.1.254.72:80", "in chain hostports: dport {\"set\": [80, 443]} is not one port");
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, "no such fault");
        }
    }

    /// <summary>
    /// portmap's v1.9 table with one rule of a shape portmap never writes, loaded into the namespace and listed by the
    /// real nft (the stand-in only answers ip6 itself); repaired by deleting that rule.
    /// </summary>
    private static async Task<FakeNft> RealNftAsync(FaultSandbox sandbox, NetworkNamespace ns, string rule, string cause)
    {
        var real = Prerequisites.RequireCommand("nft", "nftables");
        const string Id = "d6437fe2be059268620ea6ecf9cbaa70fbce445e1a5358c974ceda661f4fda92";
        var ruleset = $$"""
            table ip cni_hostport {
              chain hostports { }
              chain hostip_hostports { }
              chain hostports_all { jump hostip_hostports; jump hostports; }
              chain prerouting { type nat hook prerouting priority -100; policy accept; fib daddr type local jump hostports_all; }
              chain output { type nat hook output priority -100; policy accept; fib daddr type local jump hostports_all; }
              chain masquerading { type nat hook postrouting priority 100; policy accept; }
            }
            add rule ip cni_hostport hostports {{rule}} comment "{{Id}}"
            add rule ip cni_hostport hostports tcp dport 80 dnat to 10.1.254.70:80 comment "{{Id}}"
            add rule ip cni_hostport hostports tcp dport 80 dnat to 10.1.254.72:80 comment "{{Id}}"

            """;
        (await ns.ExecAsync(real, ["-f", "-"], ruleset)).EnsureSuccess("load the table");
        var listing = (await ns.ExecAsync(real, ["-j", "list", "table", "ip", "cni_hostport"])).EnsureSuccess("list the table").StandardOutput;
        var handle = (NftablesListings.ParseText(listing)).RulesOf("hostports").First().Handle.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var healthy6 = NftablesListings.Path("v1.9-after-stop-start.ipv6");
        var nft = sandbox.WriteScript(sandbox.PathOf("nft"), $"if [ \"$4\" = ip6 ]; then cat '{healthy6}'; exit 0; fi\nexec '{real}' \"$@\"");
        return new FakeNft([$"--nftables.command={nft}"], $"rule handle {handle} {cause}", ShortTimeout, false, Ipv6.Healthy, async () =>
            (await ns.ExecAsync(real, ["delete", "rule", "ip", "cni_hostport", "hostports", "handle", handle])).EnsureSuccess("delete the odd rule"));
    }
}
