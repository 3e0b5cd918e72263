using System.Diagnostics;
using System.Text.Json;
using NetfilterExporter.Tests.Reliability;
using NetfilterExporter.TestSupport;

namespace NetfilterExporter.Tests.RealNode;

/// <summary>
/// The exporter as it ships, on a real node, on each set of parts (<see cref="NodeParts"/>: Debian 12's, and today's
/// with portmap's iptables and nftables backends): containerd (CRI), runc and the CNI portmap plugin make the rules,
/// MicroK8s' stop is replayed as canonical/microk8s#4755 does it, real connections show what clients get, and the
/// fixes `check --output json` prints are run verbatim.
/// </summary>
[Collection(RealNodeCollection.Name)]
public sealed class StaleClaimNodeTests
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);
    private static readonly (int HostPort, int ContainerPort)[] IngressPorts = [(80, 8080), (443, 8443)];

    [Theory]
    [MemberData(nameof(NodePartsData.All), MemberType = typeof(NodePartsData))]
    public async Task After_stop_and_start_the_stale_winner_is_named_with_the_live_pod_and_its_printed_fix_brings_the_port_back(string parts)
    {
        var token = TestContext.Current.CancellationToken;
        await using var node = await NodePartsData.StartNodeAsync(parts, token);
        var old = await node.RunHostPortPodAsync("ingress", "nginx-ingress-microk8s-controller-4tq8z", IngressPorts, token);
        await using var exporter = await ExporterProcess.StartAsync([.. Flags(node), "--collector.min-interval=100ms"], node.Namespace);
        Assert.Equal(new HostPortReply(HostPortOutcome.Answered, 200, "ingress/nginx-ingress-microk8s-controller-4tq8z"), await node.GetHostPortAsync(80, ProbeTimeout, token));
        var healthy = await CheckAsync(node, token);
        Assert.True(healthy.ExitCode == 0, healthy.StandardOutput);
        var healthyClaims = Claims(Json(healthy)).ToList();
        Assert.Equal(IngressPorts.Length, healthyClaims.Count);
        Assert.All(healthyClaims, claim => Assert.Equal("live", claim.GetProperty("state").GetString()));
        var healthyPorts = Json(healthy).RootElement.GetProperty("hostPorts").EnumerateArray().ToList();
        Assert.All(healthyPorts, port => Assert.Equal(Backend(node), port.GetProperty("backend").GetString()));
        Assert.All(healthyClaims, claim => Assert.Equal(node.Parts.IsNftables ? JsonValueKind.Null : JsonValueKind.Number, claim.GetProperty("packets").ValueKind));

        await node.ReplayMicroK8sStopAsync(token);
        await node.StartContainerdAsync(token);
        var current = await node.RunHostPortPodAsync("ingress", "nginx-ingress-microk8s-controller-9xk2d", IngressPorts, token);
        var broken = await node.GetHostPortAsync(80, ProbeTimeout, token);
        Assert.NotEqual(HostPortOutcome.Answered, broken.Outcome);

        // The exporter, running since before the stop, follows containerd's restart and sees what a client saw. Its
        // first scrape: it collects on a scrape only, so no snapshot from before the stop can be served.
        var metrics = ScrapedMetrics.Parse(await exporter.GetStringAsync("metrics"));
        Assert.Equal(1, metrics.Value("netfilter_scrape_collector_success", "collector=cri"));
        Assert.Equal(1, metrics.Value("netfilter_hostport_winner_stale", "port=80"));
        Assert.Equal(1, metrics.Value("netfilter_hostport_stale_claims", "port=443"));
        var winner = Assert.Single(metrics.Find("netfilter_hostport_dnat_rule_info", "port=80", "position=1"));
        // containerd 1.6 has forgotten the old sandbox; 2.x lists it as a NOTREADY ghost, with its pod: stale either way.
        var (ghostNamespace, ghostName) = node.Parts.KeepsGhostSandboxes ? ("ingress", "nginx-ingress-microk8s-controller-4tq8z") : ("", "");
        Assert.Equal((old.SandboxId, "stale", ghostNamespace, ghostName, Backend(node)),
            (winner.Labels["container_id"], winner.Labels["state"], winner.Labels["pod_namespace"], winner.Labels["pod_name"], winner.Labels["backend"]));
        var shadowed = Assert.Single(metrics.Find("netfilter_hostport_dnat_rule_info", "port=80", "position=2"));
        Assert.Equal((current.SandboxId, "live", "ingress", "nginx-ingress-microk8s-controller-9xk2d"),
            (shadowed.Labels["container_id"], shadowed.Labels["state"], shadowed.Labels["pod_namespace"], shadowed.Labels["pod_name"]));
        if (node.Parts.IsNftables)
        {
            // portmap's nft rules have no counters, and the exporter does not make any up.
            Assert.Empty(metrics.Find("netfilter_hostport_dnat_rule_packets_total"));
        }
        else
        {
            // The counters are honest: the probe went to the dead pod's rule, none to the live one's.
            Assert.True(metrics.Value("netfilter_hostport_dnat_rule_packets_total", "port=80", "position=1") >= 2);
            Assert.Equal(0, metrics.Value("netfilter_hostport_dnat_rule_packets_total", "port=80", "position=2"));
        }

        var check = await CheckAsync(node, token);
        Assert.Equal(1, check.ExitCode);
        var stale = Finding(Json(check), "hostport-stale-claim");
        Assert.Equal("critical", stale.GetProperty("severity").GetString());
        Assert.Contains($"sandbox {old.SandboxId[..12]}", stale.GetProperty("summary").GetString(), StringComparison.Ordinal);
        var details = string.Join('\n', stale.GetProperty("details").EnumerateArray().Select(detail => detail.GetString()));
        Assert.Contains($"pod ingress/nginx-ingress-microk8s-controller-9xk2d (sandbox {current.SandboxId[..12]}) -> {current.PodIp}:8080 takes over", details, StringComparison.Ordinal);
        Assert.Contains(node.Parts.KeepsGhostSandboxes ? "listed as not ready" : "no longer listed by the runtime", details, StringComparison.Ordinal);

        await RunFixAsync(node, stale);

        Assert.Equal(new HostPortReply(HostPortOutcome.Answered, 200, "ingress/nginx-ingress-microk8s-controller-9xk2d"), await node.GetHostPortAsync(80, ProbeTimeout, token));
        Assert.Equal(HostPortOutcome.Answered, (await node.GetHostPortAsync(443, ProbeTimeout, token)).Outcome);
        var fixedNode = await CheckAsync(node, token);
        Assert.True(fixedNode.ExitCode == 0, fixedNode.StandardOutput);
        // Nothing of the old sandbox is left in portmap's rules (nftables: no rule commented with its id in
        // cni_hostport; iptables: neither its jump nor its CNI-DN- chain); the live pod's are untouched.
        Assert.False(await node.HasPortmapRulesOfAsync(old.SandboxId, token), $"portmap's rules of {old.SandboxId} are still there");
        Assert.True(await node.HasPortmapRulesOfAsync(current.SandboxId, token), $"portmap's rules of the live {current.SandboxId} are gone");
        // The fix and the two checks can take less than --collector.min-interval (100ms), on the binary's own clock.
        var (after, body) = await ScrapeUntilAsync(exporter,
            metrics => (node.Parts.IsNftables || metrics.Value("netfilter_hostport_orphan_chains", "backend=legacy", "family=ipv4") == 0) && metrics.Value("netfilter_hostport_dnat_rules", "port=80") == 1, token);
        if (!node.Parts.IsNftables)
        {
            Assert.True(after.Value("netfilter_hostport_orphan_chains", "backend=legacy", "family=ipv4") == 0, body);
        }
        Assert.True(after.Value("netfilter_hostport_dnat_rules", "port=80") == 1, body);
        Assert.Equal(current.SandboxId, Assert.Single(after.Find("netfilter_hostport_dnat_rule_info", "port=80")).Labels["container_id"]);
    }

    /// <summary>MicroK8s' documented flush is of iptables' CNI-HOSTPORT-DNAT: a story of the iptables backends.</summary>
    [Theory]
    [MemberData(nameof(NodePartsData.Iptables), MemberType = typeof(NodePartsData))]
    public async Task The_documented_flush_between_stop_and_start_leaves_the_orphan_chain_that_its_own_finding_clears(string parts)
    {
        var token = TestContext.Current.CancellationToken;
        await using var node = await NodePartsData.StartNodeAsync(parts, token);
        await node.RunHostPortPodAsync("ingress", "nginx-ingress-microk8s-controller-4tq8z", IngressPorts, token);

        await node.ReplayMicroK8sStopAsync(token);
        (await node.RunAsync("iptables-legacy", ["-t", "nat", "-F", "CNI-HOSTPORT-DNAT"], cancellationToken: token)).EnsureSuccess("the documented flush");
        await node.StartContainerdAsync(token);
        await node.RunHostPortPodAsync("ingress", "nginx-ingress-microk8s-controller-9xk2d", IngressPorts, token);

        Assert.Equal(HostPortOutcome.Answered, (await node.GetHostPortAsync(80, ProbeTimeout, token)).Outcome);
        var check = Json(await CheckAsync(node, token));
        Assert.DoesNotContain(check.RootElement.GetProperty("findings").EnumerateArray(), finding => finding.GetProperty("id").GetString() == "hostport-stale-claim");
        var orphan = Finding(check, "hostport-orphan-chain");

        await RunFixAsync(node, orphan);

        var fixedNode = await CheckAsync(node, token);
        Assert.True(fixedNode.ExitCode == 0, fixedNode.StandardOutput);
        Assert.Equal(HostPortOutcome.Answered, (await node.GetHostPortAsync(80, ProbeTimeout, token)).Outcome);
    }

    [Theory]
    [MemberData(nameof(NodePartsData.All), MemberType = typeof(NodePartsData))]
    public async Task A_lone_stale_claim_is_found_and_its_fix_removes_it(string parts)
    {
        var token = TestContext.Current.CancellationToken;
        await using var node = await NodePartsData.StartNodeAsync(parts, token);
        var old = await node.RunHostPortPodAsync("ingress", "nginx-ingress-microk8s-controller-4tq8z", IngressPorts, token);

        // The pod is rescheduled onto another node: nothing here replaces it.
        await node.ReplayMicroK8sStopAsync(token);
        await node.StartContainerdAsync(token);
        Assert.NotEqual(HostPortOutcome.Answered, (await node.GetHostPortAsync(80, ProbeTimeout, token)).Outcome);

        var result = await CheckAsync(node, token);
        Assert.Equal(1, result.ExitCode);
        var check = Json(result);
        Assert.DoesNotContain(check.RootElement.GetProperty("findings").EnumerateArray(), finding => finding.GetProperty("id").GetString() == "hostport-dnat-duplicate");
        var stale = Finding(check, "hostport-stale-claim");
        Assert.Equal("critical", stale.GetProperty("severity").GetString());
        Assert.Contains("the port is black-holed", stale.GetProperty("details")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains(old.SandboxId, string.Join('\n', stale.GetProperty("fixes")[1].GetProperty("commands").EnumerateArray().Select(c => c.GetString())), StringComparison.Ordinal);
        var claims = Claims(check).ToList();
        Assert.Equal(IngressPorts.Length, claims.Count);
        // containerd 2.x lists the old sandbox as a NOTREADY ghost with its pod; 1.6 no longer lists it. Stale either way.
        var podName = node.Parts.KeepsGhostSandboxes ? "nginx-ingress-microk8s-controller-4tq8z" : null;
        Assert.All(claims, claim => Assert.Equal((old.SandboxId, "stale", podName),
            (claim.GetProperty("containerId").GetString(), claim.GetProperty("state").GetString(), claim.GetProperty("podName").GetString())));

        await RunFixAsync(node, stale);

        Assert.False(await node.HasPortmapRulesOfAsync(old.SandboxId, token), $"portmap's rules of {old.SandboxId} are still there");
        if (node.Parts.IsNftables)
        {
            Assert.Empty(SavedNftHostPortRules.Parse(await node.ListNftHostPortTableAsync(token)).Commented);
        }
        else
        {
            var saved = await node.SaveLegacyNatAsync(token);
            // The bridge plugin's own masquerade chain still names the sandbox (CNI DEL never ran); portmap's rules are gone.
            Assert.Empty(SavedHostPortRules.Parse(saved).Jumps);
            Assert.DoesNotContain(":CNI-DN-", saved, StringComparison.Ordinal);
        }
        var fixedNode = await CheckAsync(node, token);
        Assert.True(fixedNode.ExitCode == 0, fixedNode.StandardOutput);
    }

    [Theory]
    [MemberData(nameof(NodePartsData.All), MemberType = typeof(NodePartsData))]
    public async Task A_stopped_not_yet_started_or_removed_containerd_gives_cri_failure_and_unknown_never_stale(string parts)
    {
        var token = TestContext.Current.CancellationToken;
        await using var node = await NodePartsData.StartNodeAsync(parts, token);
        await node.RunHostPortPodAsync("ingress", "nginx-ingress-microk8s-controller-4tq8z", IngressPorts, token);
        await using var exporter = await ExporterProcess.StartAsync([.. Flags(node), "--collector.min-interval=100ms", "--collector.timeout=3s"], node.Namespace);

        await node.StopContainerdAsync(token);
        await AssertUnknownAsync(exporter, node, node.SocketPath, token);

        File.Delete(node.SocketPath);
        await AssertUnknownAsync(exporter, node, "does not exist", token);

        // Started again (the state a node is in before containerd first starts, and after): asked again, and live.
        await node.StartContainerdAsync(token);
        var (metrics, _) = await ScrapeUntilAsync(exporter, metrics => metrics.Value("netfilter_scrape_collector_success", "collector=cri") == 1, token);
        Assert.Equal(1, metrics.Value("netfilter_scrape_collector_success", "collector=cri"));
        var claims = metrics.Find("netfilter_hostport_dnat_rule_info");
        Assert.Equal(IngressPorts.Length, claims.Count);
        Assert.All(claims, claim => Assert.Equal("live", claim.Labels["state"]));
    }

    [Theory]
    [MemberData(nameof(NodePartsData.All), MemberType = typeof(NodePartsData))]
    public async Task A_sandbox_created_between_the_runtime_list_and_the_dump_is_not_reported_stale(string parts)
    {
        var token = TestContext.Current.CancellationToken;
        await using var node = await NodePartsData.StartNodeAsync(parts, token);
        // The command that dumps the backend's rules (iptables-legacy-save, or nft) waits, after the exporter has
        // asked the runtime, until the test lets it dump.
        var started = Path.Join(node.PrivateDirectory, "save-started");
        var proceed = Path.Join(node.PrivateDirectory, "save-proceed");
        var wrapper = Path.Join(node.PrivateDirectory, "held-dump");
        var (dump, flag) = node.Parts.IsNftables
            ? (Prerequisites.RequireCommand("nft", "nftables"), "--nftables.command")
            : ("iptables-legacy-save", "--iptables.save-command.legacy-ipv4");
        await File.WriteAllTextAsync(wrapper,
            $"#!/bin/sh\ntouch '{started}'\nwhile [ ! -e '{proceed}' ]; do sleep 0.02; done\nexec {dump} \"$@\"\n", token);
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await using var exporter = await ExporterProcess.StartAsync(
            [.. Flags(node), $"{flag}={wrapper}", "--collector.timeout=60s", "--log.level=debug"], node.Namespace);
        // The exporter skips the save command while the namespace has no legacy nat table; touching it creates one.
        (await node.RunAsync("iptables-legacy", ["-t", "nat", "-S"], cancellationToken: token)).EnsureSuccess("iptables-legacy -t nat -S");

        var scrape = exporter.GetStringAsync("metrics");
        while (!File.Exists(started))
        {
            if (scrape.IsCompleted)
            {
                Assert.Fail($"the collection ended without running the held save command:\n{await scrape}\n{exporter.Log}");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(20), token);
        }
        // The first ListPodSandbox runs beside the save command: the pod is made only once it has answered, empty.
        await BoundedScrape.WaitForLogAsync(exporter, $"cri: {node.SocketPath} listed 0 sandbox(es)");
        var pod = await node.RunHostPortPodAsync("ingress", "nginx-ingress-microk8s-controller-9xk2d", IngressPorts, token);
        await File.WriteAllTextAsync(proceed, "", token);
        var metrics = ScrapedMetrics.Parse(await scrape);

        var claims = metrics.Find("netfilter_hostport_dnat_rule_info");
        Assert.Equal(2, claims.Count);
        Assert.All(claims, claim => Assert.Equal((pod.SandboxId, "live"), (claim.Labels["container_id"], claim.Labels["state"])));
        var winnerStale = metrics.Find("netfilter_hostport_winner_stale");
        Assert.Equal(IngressPorts.Length, winnerStale.Count);
        Assert.All(winnerStale, series => Assert.Equal("0", series.Value));
        Assert.Contains("cri: 2 claim(s) not live in the first list, asking the runtime again after the dumps", exporter.Log, StringComparison.Ordinal);
    }

    private static string[] Flags(ContainerdNode node) =>
        ["--iptables.backends=legacy", "--iptables.families=ipv4", $"--cri.endpoint=unix://{node.SocketPath}", .. Fixture.ConntrackFlags("persistent-etc")];

    /// <summary>The backend label of the node's portmap claims.</summary>
    private static string Backend(ContainerdNode node) => node.Parts.IsNftables ? "nftables" : "legacy";

    private static Task<CommandResult> CheckAsync(ContainerdNode node, CancellationToken token) =>
        node.RunAsync(ExporterProcess.BinaryPath, ["check", "--output", "json", .. Flags(node)], cancellationToken: token);

    private static JsonDocument Json(CommandResult check) => JsonDocument.Parse(check.StandardOutput);

    private static IEnumerable<JsonElement> Claims(JsonDocument check) =>
        check.RootElement.GetProperty("hostPorts").EnumerateArray().SelectMany(port => port.GetProperty("claims").EnumerateArray());

    private static JsonElement Finding(JsonDocument check, string id) =>
        check.RootElement.GetProperty("findings").EnumerateArray().Single(finding => finding.GetProperty("id").GetString() == id);

    /// <summary>
    /// The finding's manual fix (the second: the first is `fix` itself, proven by FixNodeTests), each command pasted into
    /// a shell on the node as printed, with a sudo that only runs its command (the test is root).
    /// </summary>
    private static async Task RunFixAsync(ContainerdNode node, JsonElement finding)
    {
        Assert.Equal("sudo netfilter-exporter fix --apply", finding.GetProperty("fixes")[0].GetProperty("commands")[1].GetString());
        var commands = finding.GetProperty("fixes")[1].GetProperty("commands").EnumerateArray().Select(command => command.GetString()!).ToList();
        Assert.NotEmpty(commands);
        var standIn = Path.Join(node.PrivateDirectory, "sudo-stand-in");
        Directory.CreateDirectory(standIn);
        var sudo = Path.Join(standIn, "sudo");
        await File.WriteAllTextAsync(sudo, "#!/bin/sh\nexec \"$@\"\n");
        File.SetUnixFileMode(sudo, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        foreach (var command in commands)
        {
            Assert.StartsWith(node.Parts.IsNftables ? "sudo nft " : "sudo iptables-legacy -t nat -", command, StringComparison.Ordinal);
            // Verbatim, sudo and all (an nftables command is a pipeline with a second sudo: list, check the handle
            // still holds the id, delete); the test is root, and the machine may have no sudo.
            (await node.RunAsync("sh", ["-c", $"PATH='{standIn}':\"$PATH\"\n{command}"])).EnsureSuccess(command);
        }
    }

    private static async Task AssertUnknownAsync(ExporterProcess exporter, ContainerdNode node, string error, CancellationToken token)
    {
        // The failure names this error once a collection has run after the change, past --collector.min-interval.
        var (metrics, _) = await ScrapeUntilAsync(exporter, metrics => metrics.Value("netfilter_scrape_collector_success", "collector=cri") == 0
            && exporter.Log.Contains(error, StringComparison.Ordinal), token);
        Assert.Equal(0, metrics.Value("netfilter_scrape_collector_success", "collector=cri"));
        Assert.Equal(1, metrics.Value("netfilter_scrape_collector_success", node.Parts.IsNftables ? "collector=nftables_ipv4" : "collector=iptables_legacy_ipv4"));
        var claims = metrics.Find("netfilter_hostport_dnat_rule_info");
        Assert.Equal(IngressPorts.Length, claims.Count);
        Assert.All(claims, claim => Assert.Equal("unknown", claim.Labels["state"]));
        var winnerStale = metrics.Find("netfilter_hostport_winner_stale");
        Assert.Equal(IngressPorts.Length, winnerStale.Count);
        Assert.All(winnerStale, series => Assert.Equal("0", series.Value));
        Assert.Contains(error, exporter.Log, StringComparison.Ordinal);
    }

    /// <summary>
    /// Scrapes until <paramref name="collectedAfterTheChange"/> holds: the binary serves a snapshot for
    /// --collector.min-interval on its own clock, which a test cannot advance. After a generous deadline it returns
    /// the last scrape, so that the assertions say what is wrong.
    /// </summary>
    private static async Task<(ScrapedMetrics Metrics, string Body)> ScrapeUntilAsync(
        ExporterProcess exporter, Func<ScrapedMetrics, bool> collectedAfterTheChange, CancellationToken token)
    {
        // A series the condition reads may be missing from a snapshot of before the change: not yet, rather than a failure.
        bool Holds(ScrapedMetrics metrics)
        {
            try
            {
                return collectedAfterTheChange(metrics);
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }
        // The last scrape is returned either way: the caller's assertions say what is wrong with it.
        (ScrapedMetrics Metrics, string Body) last = default;
        await Poll.WhetherAsync(TimeSpan.FromSeconds(15), async _ =>
        {
            var body = await exporter.GetStringAsync("metrics");
            last = (ScrapedMetrics.Parse(body), body);
            return Holds(last.Metrics);
        }, TimeSpan.FromMilliseconds(50), token);
        return last;
    }
}
