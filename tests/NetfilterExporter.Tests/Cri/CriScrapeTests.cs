using System.Net.Sockets;
using System.Text.Json;
using NetfilterExporter.Tests.Reliability;
using NetfilterExporter.TestSupport;
using NetfilterExporter.TestSupport.Cri;
using CriSandboxes = NetfilterExporter.TestSupport.Cri.PodSandboxes;

namespace NetfilterExporter.Tests.Cri;

/// <summary>
/// The shipped binary asking a runtime over a real unix socket: every way a runtime can fail to answer leaves claims
/// unknown (never stale) and the host port metrics served; a runtime that answers turns them live or stale.
/// </summary>
public sealed class CriScrapeTests
{
    private const string OldIngress = ExampleSandboxes.OldIngress;
    private const string NewIngress = ExampleSandboxes.NewIngress;

    public static TheoryData<string> Faults => ["missing", "refused", "hang", "garbage", "not-cri", "http1"];

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_configured_runtime_that_cannot_answer_fails_cri_alone_and_leaves_every_claim_unknown(string fault)
    {
        var token = TestContext.Current.CancellationToken;
        await using var runtime = fault switch
        {
            "hang" => await FakeCriRuntime.StartAsync(FakeCriBehaviour.Hang, token),
            "garbage" => await FakeCriRuntime.StartAsync(FakeCriBehaviour.Garbage, token),
            "not-cri" => await FakeCriRuntime.StartAsync(FakeCriBehaviour.NotCri, token),
            "http1" => await FakeCriRuntime.StartAsync(FakeCriBehaviour.Http1, token),
            _ => null,
        };
        using var directory = new TemporaryDirectory("nfx-cri-fault");
        var socket = runtime?.SocketPath ?? directory.Combine(fault == "missing" ? "absent.sock" : "refusing.sock");
        if (fault == "refused")
        {
            // A socket file nobody listens on any more: what a crashed runtime leaves behind.
            using var bound = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            bound.Bind(new UnixDomainSocketEndPoint(socket));
        }
        await using var exporter = await ExporterProcess.StartAsync(
            [Fixture.ExampleFlag("after-stop-start.legacy-ipv4.txt"), .. Fixture.ConntrackFlags("persistent-etc"), $"--cri.endpoint=unix://{socket}", "--collector.timeout=2s"]);

        var metrics = ScrapedMetrics.Parse(await exporter.GetStringAsync("metrics"));

        Assert.Equal(0, metrics.Value("netfilter_scrape_collector_success", "collector=cri"));
        Assert.Equal(1, metrics.Value("netfilter_scrape_collector_success", "collector=iptables_legacy_ipv4"));
        var claims = metrics.Find("netfilter_hostport_dnat_rule_info");
        Assert.Equal(4, claims.Count);
        Assert.All(claims, claim => Assert.Equal("unknown", claim.Labels["state"]));
        var winnerStale = metrics.Find("netfilter_hostport_winner_stale");
        Assert.Equal(2, winnerStale.Count);
        Assert.All(winnerStale, series => Assert.Equal("0", series.Value));
        var staleClaims = metrics.Find("netfilter_hostport_stale_claims");
        Assert.Equal(2, staleClaims.Count);
        Assert.All(staleClaims, series => Assert.Equal("0", series.Value));
        Assert.Empty(metrics.Find("netfilter_cri_sandboxes"));
        Assert.Equal(2, metrics.Value("netfilter_hostport_dnat_rules", "port=80"));
        // The log line travels through the exporter's stderr pipe, which can arrive after the scrape's response.
        await exporter.WaitForLogAsync("collector cri failed", TimeSpan.FromSeconds(10), token);
        Assert.Contains($"collector cri failed", exporter.Log, StringComparison.Ordinal);
        Assert.Contains(fault == "hang" ? "did not finish within --collector.timeout (2s)" : socket, exporter.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_saved_dumps_auto_does_not_join_this_nodes_runtime_even_when_its_socket_is_there()
    {
        var token = TestContext.Current.CancellationToken;
        using var root = new TemporaryDirectory("nfx-cri-rootfs");
        var node = Fixture.ConntrackNode("persistent-etc");
        string[] flags = [Fixture.ExampleFlag("healthy.legacy-ipv4.txt"), $"--path.procfs={node}/proc", $"--path.sysfs={node}/sys", $"--path.rootfs={root.Path}"];
        Directory.CreateDirectory(Path.Join(root.Path, "run/containerd"));
        // A runtime whose socket auto would find, listing nothing: joined with an old dump it would call every claim stale.
        await using var runtime = await FakeCriRuntime.StartAtAsync(Path.Join(root.Path, "run/containerd/containerd.sock"), FakeCriBehaviour.Sandboxes(), token);

        var check = await TestCommand.RunAsync(ExporterProcess.BinaryPath, ["check", "--output", "json", .. flags]);

        using var json = JsonDocument.Parse(check.StandardOutput);
        Assert.Equal(["iptables_legacy_ipv4", "conntrack"], json.RootElement.GetProperty("collectors").EnumerateArray().Select(collector => collector.GetProperty("name").GetString()));
        var claims = json.RootElement.GetProperty("hostPorts")[0].GetProperty("claims").EnumerateArray().ToList();
        Assert.Single(claims);
        Assert.All(claims, claim => Assert.Equal("unknown", claim.GetProperty("state").GetString()));
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("sandboxes").ValueKind);
        Assert.Equal(0, runtime.ListPodSandboxCalls);
        var text = await TestCommand.RunAsync(ExporterProcess.BinaryPath, ["check", .. flags]);
        Assert.Contains("The container runtime was not asked (no socket found by --cri.endpoint=auto, --cri.endpoint=none, --no-collector.cri, or saved dumps,", text.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("collector cri", text.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Of_several_sockets_the_collector_skips_one_that_serves_no_cri_runtime()
    {
        var token = TestContext.Current.CancellationToken;
        await using var docker = await FakeCriRuntime.StartAsync(FakeCriBehaviour.NotCri, token);
        await using var k3s = await FakeCriRuntime.StartAsync(FakeCriBehaviour.Sandboxes(CriSandboxes.Ready(NewIngress, "ingress", "web")), token);

        var listed = (NetfilterExporter.Cri.PodSandboxes)await new NetfilterExporter.Cri.CriCollector(
            [docker.SocketPath, k3s.SocketPath], Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, TimeProvider.System).CollectAsync(token);

        Assert.True(listed.Find(NewIngress)!.Ready);
        var alone = new NetfilterExporter.Cri.CriCollector([docker.SocketPath], Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, TimeProvider.System);
        var error = await Assert.ThrowsAsync<NetfilterExporter.Cri.CriException>(() => alone.CollectAsync(token));
        Assert.Contains("is not a CRI runtime", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_runtime_listing_the_old_sandbox_notready_makes_its_winning_claim_stale_everywhere()
    {
        var token = TestContext.Current.CancellationToken;
        await using var runtime = await FakeCriRuntime.StartAsync(FakeCriBehaviour.Sandboxes(
            CriSandboxes.NotReady(OldIngress, "ingress", "nginx-old"), CriSandboxes.Ready(NewIngress, "ingress", "nginx-new")), token);
        string[] flags = [Fixture.ExampleFlag("after-stop-start.legacy-ipv4.txt"), .. Fixture.ConntrackFlags("persistent-etc"), $"--cri.endpoint={runtime.Endpoint}"];
        await using var exporter = await ExporterProcess.StartAsync(flags);

        var metrics = ScrapedMetrics.Parse(await exporter.GetStringAsync("metrics"));
        Assert.Equal(1, metrics.Value("netfilter_hostport_winner_stale", "port=80"));
        Assert.Equal(1, metrics.Value("netfilter_hostport_stale_claims", "port=443"));
        var winner = Assert.Single(metrics.Find("netfilter_hostport_dnat_rule_info", "port=80", "position=1"));
        Assert.Equal(("stale", "ingress", "nginx-old"), (winner.Labels["state"], winner.Labels["pod_namespace"], winner.Labels["pod_name"]));
        Assert.Equal("live", Assert.Single(metrics.Find("netfilter_hostport_dnat_rule_info", "port=80", "position=2")).Labels["state"]);
        Assert.Equal(1, metrics.Value("netfilter_cri_sandboxes", "state=notready"));

        var check = await TestCommand.RunAsync(ExporterProcess.BinaryPath, ["check", "--output", "json", .. flags]);
        Assert.Equal(1, check.ExitCode);
        using var json = JsonDocument.Parse(check.StandardOutput);
        var stale = json.RootElement.GetProperty("findings").EnumerateArray().Single(finding => finding.GetProperty("id").GetString() == "hostport-stale-claim");
        Assert.Equal("critical", stale.GetProperty("severity").GetString());
        Assert.Contains("pod ingress/nginx-old", stale.GetProperty("summary").GetString(), StringComparison.Ordinal);
        var claim = json.RootElement.GetProperty("hostPorts")[0].GetProperty("claims")[0];
        Assert.Equal(("stale", "ingress", "nginx-old"), (claim.GetProperty("state").GetString(), claim.GetProperty("podNamespace").GetString(), claim.GetProperty("podName").GetString()));
        Assert.Equal(1, json.RootElement.GetProperty("sandboxes").GetProperty("notready").GetInt32());

        var text = await TestCommand.RunAsync(ExporterProcess.BinaryPath, ["check", .. flags]);
        Assert.Contains("10.1.254.70:80 (ingress/nginx-old 4b42590d177e, stale, 37 pkts), then 10.1.254.72:80 (ingress/nginx-new d6437fe2be05, live, 0 pkts)   <-- STALE WINNER", text.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Container runtime: 1 sandbox(es) ready, 1 not ready", text.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sandbox_created_after_the_first_list_is_live_because_the_runtime_is_asked_again_after_the_dumps()
    {
        var token = TestContext.Current.CancellationToken;
        // The first list of each collection predates the sandbox; every later list has it.
        await using var runtime = await FakeCriRuntime.StartAsync(FakeCriBehaviour.Sandboxes(CriSandboxes.Ready(NewIngress, "ingress", "web")), token);
        runtime.QueueAnswer();
        await using var exporter = await ExporterProcess.StartAsync(
            [Fixture.ExampleFlag("healthy.legacy-ipv4.txt"), .. Fixture.ConntrackFlags("persistent-etc"), $"--cri.endpoint={runtime.Endpoint}", "--log.level=debug"]);

        var metrics = ScrapedMetrics.Parse(await exporter.GetStringAsync("metrics"));

        var claims = metrics.Find("netfilter_hostport_dnat_rule_info");
        Assert.Equal(2, claims.Count);
        Assert.All(claims, claim => Assert.Equal("live", claim.Labels["state"]));
        var winnerStale = metrics.Find("netfilter_hostport_winner_stale");
        Assert.Equal(2, winnerStale.Count);
        Assert.All(winnerStale, series => Assert.Equal("0", series.Value));
        Assert.Equal(2, runtime.ListPodSandboxCalls);
        Assert.Contains("cri: 2 claim(s) not live in the first list, asking the runtime again after the dumps", exporter.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_scrapes_share_one_list_per_collection_and_a_lone_unlisted_claim_costs_a_second()
    {
        var token = TestContext.Current.CancellationToken;
        await using var runtime = await FakeCriRuntime.StartAsync(FakeCriBehaviour.Sandboxes(CriSandboxes.Ready(NewIngress, "ingress", "web")), token);
        await using var exporter = await ExporterProcess.StartAsync(
            [Fixture.ExampleFlag("healthy.legacy-ipv4.txt"), .. Fixture.ConntrackFlags("persistent-etc"), $"--cri.endpoint={runtime.Endpoint}", "--collector.min-interval=1m"]);

        var bodies = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => exporter.GetStringAsync("metrics")));

        Assert.All(bodies, body => Assert.Contains("state=\"live\"", body, StringComparison.Ordinal));
        Assert.Equal(1, runtime.ListPodSandboxCalls);

        // The runtime forgets the sandbox (containerd restarted after ctr deleted it): the lone claim is stale, and
        // it took a second list, after the dumps, to say so.
        runtime.SetSandboxes();
        var check = await TestCommand.RunAsync(ExporterProcess.BinaryPath,
            ["check", Fixture.ExampleFlag("healthy.legacy-ipv4.txt"), .. Fixture.ConntrackFlags("persistent-etc"), $"--cri.endpoint={runtime.Endpoint}"]);
        Assert.Equal(1, check.ExitCode);
        Assert.Contains("CRITICAL hostport-stale-claim", check.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("served now by no running pod: the port is black-holed", check.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(3, runtime.ListPodSandboxCalls);
    }
}
