using NetfilterExporter.TestSupport;

namespace NetfilterExporter.Tests.Integration;

/// <summary>
/// Real iptables in a network namespace per test: the dump is loaded with &lt;backend&gt;-restore -c, the exporter
/// runs inside the namespace, and its /metrics is scraped over HTTP and checked with promtool.
/// </summary>
public sealed class NamespaceScrapeTests
{
    private const string StaleId = "4b42590d177e8116d1fd471bbc720e9491abd9163a1509fd7252af646e803cbf";
    private const string LiveId = "d6437fe2be059268620ea6ecf9cbaa70fbce445e1a5358c974ceda661f4fda92";

    public static TheoryData<string, string> Sources => new()
    {
        { "legacy", "ipv4" },
        { "nft", "ipv4" },
        { "legacy", "ipv6" },
        { "nft", "ipv6" },
    };

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task After_stop_start_the_duplicate_winner_and_counters_are_exported(string backend, string family)
    {
        await using var ns = await NetworkNamespace.CreateAsync();
        await ns.RestoreAsync(RestoreCommand(backend, family), Dump("after-stop-start", family));
        await using var exporter = await ExporterProcess.StartAsync([$"--iptables.backends={backend}", $"--iptables.families={family}"], ns);

        var exposition = await exporter.GetStringAsync("metrics");
        var metrics = ScrapedMetrics.Parse(exposition);

        string[] port80 = [$"backend={backend}", $"family={family}", "protocol=tcp", "host_ip=any", "port=80"];
        Assert.Equal(1, metrics.Value("netfilter_scrape_collector_success", $"collector=iptables_{backend}_{family}"));
        Assert.Equal(2, metrics.Value("netfilter_hostport_dnat_rules", port80));
        Assert.Equal(1, metrics.Value("netfilter_hostport_dnat_duplicates", port80));
        Assert.Equal(1, metrics.Value("netfilter_hostport_dnat_rule_info", [.. port80, "position=1", $"container_id={StaleId}", "network=k8s-pod-network"]));
        Assert.Equal(1, metrics.Value("netfilter_hostport_dnat_rule_info", [.. port80, "position=2", $"container_id={LiveId}"]));
        Assert.Equal(2, metrics.Value("netfilter_hostport_chain_rules", $"backend={backend}", "chain=CNI-HOSTPORT-DNAT"));
        Assert.Equal(0, metrics.Value("netfilter_hostport_orphan_chains", $"backend={backend}"));
        // ip6tables-nft-restore -c of iptables 1.8.9 drops rule counters; every other backend keeps them.
        var expectedWinnerPackets = backend == "nft" && family == "ipv6" ? 0 : family == "ipv4" ? 37 : 21;
        Assert.Equal(expectedWinnerPackets, metrics.Value("netfilter_hostport_dnat_rule_packets_total", [.. port80, "position=1"]));
        Assert.Equal(0, metrics.Value("netfilter_hostport_dnat_rule_packets_total", [.. port80, "position=2"]));
        var promtool = await Promtool.CheckMetricsAsync(exposition);
        Assert.True(promtool.ExitCode == 0 && promtool.StandardOutput.Length == 0 && promtool.StandardError.Length == 0,
            $"promtool check metrics: {promtool.StandardOutput}{promtool.StandardError}");
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task A_healthy_node_has_one_claim_per_port(string backend, string family)
    {
        await using var ns = await NetworkNamespace.CreateAsync();
        await ns.RestoreAsync(RestoreCommand(backend, family), Dump("healthy", family));
        await using var exporter = await ExporterProcess.StartAsync([$"--iptables.backends={backend}", $"--iptables.families={family}"], ns);

        var metrics = ScrapedMetrics.Parse(await exporter.GetStringAsync("metrics"));

        var rules = metrics.Find("netfilter_hostport_dnat_rules", $"backend={backend}", $"family={family}");
        Assert.Equal(["443", "80"], rules.Select(s => s.Labels["port"]).Order(StringComparer.Ordinal));
        Assert.All(rules, s => Assert.Equal("1", s.Value));
        var duplicates = metrics.Find("netfilter_hostport_dnat_duplicates");
        Assert.Equal(2, duplicates.Count);
        Assert.All(duplicates, s => Assert.Equal("0", s.Value));
        Assert.Single(metrics.Find("netfilter_hostport_dnat_rule_info", "port=80"));
    }

    [Fact]
    public async Task Flushing_the_dnat_chain_leaves_orphans_and_the_ports_disappear_from_the_next_scrape()
    {
        await using var ns = await NetworkNamespace.CreateAsync();
        await ns.RestoreAsync("iptables-legacy-restore", Dump("after-stop-start", "ipv4"));
        await using var exporter = await ExporterProcess.StartAsync(["--iptables.backends=legacy", "--iptables.families=ipv4", "--collector.min-interval=1ms"], ns);
        Assert.NotEmpty(ScrapedMetrics.Parse(await exporter.GetStringAsync("metrics")).Find("netfilter_hostport_dnat_rules"));

        (await ns.ExecAsync("iptables-legacy", ["-t", "nat", "-F", "CNI-HOSTPORT-DNAT"])).EnsureSuccess("flush");
        var metrics = ScrapedMetrics.Parse(await exporter.GetStringAsync("metrics"));

        Assert.Empty(metrics.Find("netfilter_hostport_dnat_rules"));
        Assert.Empty(metrics.Find("netfilter_hostport_dnat_rule_info"));
        Assert.Equal(2, metrics.Value("netfilter_hostport_orphan_chains", "backend=legacy", "family=ipv4"));
        Assert.Equal(0, metrics.Value("netfilter_hostport_chain_rules", "backend=legacy", "family=ipv4", "chain=CNI-HOSTPORT-DNAT"));
    }

    /// <summary>A stale DNS pod: portmap wrote one entry per protocol into the same CNI-DN-* chain.</summary>
    private static readonly string TcpAndUdpDump = $$"""
        *nat
        :PREROUTING ACCEPT [0:0]
        :INPUT ACCEPT [0:0]
        :OUTPUT ACCEPT [0:0]
        :POSTROUTING ACCEPT [0:0]
        :CNI-DN-0000000000000000000aa - [0:0]
        :CNI-DN-0000000000000000000bb - [0:0]
        :CNI-HOSTPORT-DNAT - [0:0]
        -A PREROUTING -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT
        -A CNI-DN-0000000000000000000aa -p tcp -m tcp --dport 53 -j DNAT --to-destination 10.1.0.5:53
        -A CNI-DN-0000000000000000000aa -p udp -m udp --dport 53 -j DNAT --to-destination 10.1.0.5:53
        -A CNI-DN-0000000000000000000bb -p tcp -m tcp --dport 53 -j DNAT --to-destination 10.1.0.6:53
        -A CNI-DN-0000000000000000000bb -p udp -m udp --dport 53 -j DNAT --to-destination 10.1.0.6:53
        -A CNI-HOSTPORT-DNAT -p tcp -m comment --comment "dnat name: \"k8s-pod-network\" id: \"{{StaleId}}\"" -m multiport --dports 53 -j CNI-DN-0000000000000000000aa
        -A CNI-HOSTPORT-DNAT -p udp -m comment --comment "dnat name: \"k8s-pod-network\" id: \"{{StaleId}}\"" -m multiport --dports 53 -j CNI-DN-0000000000000000000aa
        -A CNI-HOSTPORT-DNAT -p tcp -m comment --comment "dnat name: \"k8s-pod-network\" id: \"{{LiveId}}\"" -m multiport --dports 53 -j CNI-DN-0000000000000000000bb
        -A CNI-HOSTPORT-DNAT -p udp -m comment --comment "dnat name: \"k8s-pod-network\" id: \"{{LiveId}}\"" -m multiport --dports 53 -j CNI-DN-0000000000000000000bb
        COMMIT

        """;

    [Theory]
    [InlineData("after-stop-start", 3)]
    [InlineData("tcp-and-udp", 4)]
    public async Task The_surgical_fix_printed_by_check_makes_the_node_healthy(string state, int commands)
    {
        await using var ns = await NetworkNamespace.CreateAsync();
        await ns.RestoreAsync("iptables-legacy-restore", state == "tcp-and-udp" ? TcpAndUdpDump : Dump(state, "ipv4"));

        var before = await ns.ExecAsync(ExporterProcess.BinaryPath, ["check", "--iptables.backends=legacy", "--iptables.families=ipv4"]);
        Assert.Equal(1, before.ExitCode);
        var surgical = before.StandardOutput.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("sudo iptables-legacy -t nat -", StringComparison.Ordinal))
            .Where(line => !line.Contains("-F CNI-HOSTPORT-DNAT", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(commands, surgical.Count);
        foreach (var command in surgical)
        {
            // The printed line is shell syntax: run it through sh exactly as an operator would paste it.
            (await ns.ExecAsync("sh", ["-c", command["sudo ".Length..]])).EnsureSuccess(command);
        }
        var after = await ns.ExecAsync(ExporterProcess.BinaryPath, ["check", "--iptables.backends=legacy", "--iptables.families=ipv4"]);

        Assert.True(after.ExitCode == 0, after.StandardOutput + after.StandardError);
        var saved = (await ns.ExecAsync("iptables-legacy-save", ["-t", "nat"])).StandardOutput;
        Assert.DoesNotContain(StaleId, saved, StringComparison.Ordinal);
        Assert.Contains(LiveId, saved, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Both_backends_with_nat_rules_are_reported_as_mixed()
    {
        await using var ns = await NetworkNamespace.CreateAsync();
        await ns.RestoreAsync("iptables-legacy-restore", Dump("healthy", "ipv4"));
        await ns.RestoreAsync("iptables-nft-restore", "*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -p tcp --dport 8080 -j REDIRECT --to-ports 80\nCOMMIT\n");

        var check = await ns.ExecAsync(ExporterProcess.BinaryPath, ["check", "--iptables.families=ipv4", "--output=json"]);

        Assert.Equal(1, check.ExitCode);
        Assert.Contains("\"id\": \"iptables-mixed-backends\"", check.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\"name\": \"iptables_nft_ipv4\"", check.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reading_a_namespace_without_legacy_tables_does_not_create_them()
    {
        await using var ns = await NetworkNamespace.CreateAsync();
        await using var exporter = await ExporterProcess.StartAsync(["--iptables.backends=legacy"], ns);

        var metrics = ScrapedMetrics.Parse(await exporter.GetStringAsync("metrics"));
        var tables = await ns.ExecAsync("sh", ["-c", "cat /proc/net/ip_tables_names /proc/net/ip6_tables_names 2>/dev/null || true"]);

        Assert.Equal(1, metrics.Value("netfilter_scrape_collector_success", "collector=iptables_legacy_ipv4"));
        Assert.Equal(0, metrics.Value("netfilter_nat_rules", "backend=legacy", "family=ipv4"));
        Assert.Equal(0, metrics.Value("netfilter_nat_rules", "backend=legacy", "family=ipv6"));
        Assert.Equal("", tables.StandardOutput.Trim());
    }

    private static string RestoreCommand(string backend, string family) =>
        $"{(family == "ipv4" ? "iptables" : "ip6tables")}-{backend}-restore";

    private static string Dump(string state, string family) => family == "ipv4"
        ? Dumps.Example($"{state}.legacy-ipv4.txt")
        : Dumps.Fixture($"{state}.legacy-ipv6.txt");
}
