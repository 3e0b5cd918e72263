using System.Text.Json;
using NetfilterExporter.TestSupport;

namespace NetfilterExporter.Tests.Integration;

/// <summary>
/// Real traffic through portmap-shaped <c>cni_hostport</c> tables: a node namespace holds the table and two listeners
/// that answer with their pod's name, a client namespace reaches the node over a veth (the prerouting hook), and the
/// node connects to itself (the output hook). The pod that answers must be the claim the shipped exporter reports at
/// position 1; after the surgical command <c>check --output json</c> prints is run as printed, the other pod answers
/// and the exporter shows one claim.
/// </summary>
public sealed class NftablesTrafficTests
{
    private const string OldId = "4b42590d177e8116d1fd471bbc720e9491abd9163a1509fd7252af646e803cbf";
    private const string NewId = "d6437fe2be059268620ea6ecf9cbaa70fbce445e1a5358c974ceda661f4fda92";
    private const string NodeIp = "192.0.2.10";
    private const string ClientIp = "192.0.2.1";
    private const int HostPort = 80;

    private static readonly Dictionary<string, (int Port, string Body)> Pods = new(StringComparer.Ordinal)
    {
        [OldId] = (8081, "default/old"),
        [NewId] = (8082, "default/new"),
    };

    /// <summary>The table layouts: portmap v1.9 and v1.6.1-1.8, with and without hostIP claims, and a hand-made order.</summary>
    public static TheoryData<string> Layouts => new()
    {
        "v1.9",
        "v1.9-with-hostip-rule-left-by-1.8",
        "v1.8",
        "v1.8-hostip",
        "hostports-first",
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task The_pod_that_answers_is_the_claim_at_position_1_until_the_surgical_fix_deletes_it(string layout)
    {
        var (ruleset, hostIp, expectedWinner) = Table(layout);
        await using var node = await NetworkNamespace.CreateAsync();
        await using var client = await NetworkNamespace.CreateAsync();
        await ConnectAsync(client, node);
        (await node.ExecAsync(Prerequisites.RequireCommand("nft", "nftables"), ["-f", "-"], ruleset)).EnsureSuccess($"load the {layout} table");
        await using var oldPod = PodListener.Start(NamespacePath(node), Pods[OldId].Port, Pods[OldId].Body);
        await using var newPod = PodListener.Start(NamespacePath(node), Pods[NewId].Port, Pods[NewId].Body);
        await using var exporter = await ExporterProcess.StartAsync(["--iptables.backends=legacy", "--collector.min-interval=1ms"], node);
        string[] key = ["backend=nftables", "family=ipv4", "protocol=tcp", $"host_ip={hostIp}", $"port={HostPort}"];

        var before = ScrapedMetrics.Parse(await exporter.GetStringAsync("metrics"));

        Assert.Equal(1, before.Value("netfilter_scrape_collector_success", "collector=nftables_ipv4"));
        Assert.Equal(2, before.Value("netfilter_hostport_dnat_rules", key));
        var winner = Assert.Single(before.Find("netfilter_hostport_dnat_rule_info", [.. key, "position=1"])).Labels["container_id"];
        var shadowed = Assert.Single(before.Find("netfilter_hostport_dnat_rule_info", [.. key, "position=2"])).Labels["container_id"];
        Assert.Equal(expectedWinner, winner);
        Assert.Equal([OldId, NewId], new[] { winner, shadowed }.Order(StringComparer.Ordinal));
        Assert.Equal(Pods[winner].Body, await GetAsync(client, "prerouting"));
        Assert.Equal(Pods[winner].Body, await GetAsync(node, "output"));

        var check = await node.ExecAsync(ExporterProcess.BinaryPath, ["check", "--output=json", "--iptables.backends=legacy"]);
        Assert.True(check.ExitCode == 1, check.StandardOutput + check.StandardError);
        var surgical = Assert.Single(SurgicalCommands(check.StandardOutput));
        Assert.Contains($"comment \"{winner}\"", surgical, StringComparison.Ordinal);
        // The printed line is shell syntax: run through sh exactly as an operator would paste it (root here, so without sudo).
        (await node.ExecAsync("sh", ["-c", surgical.Replace("sudo ", "", StringComparison.Ordinal)])).EnsureSuccess(surgical);
        // Step past --collector.min-interval (1ms), so the next scrape collects again.
        await Task.Delay(50, TestContext.Current.CancellationToken);
        var after = ScrapedMetrics.Parse(await exporter.GetStringAsync("metrics"));

        Assert.Equal(1, after.Value("netfilter_hostport_dnat_rules", key));
        var remaining = Assert.Single(after.Find("netfilter_hostport_dnat_rule_info", key));
        Assert.Equal(("1", shadowed), (remaining.Labels["position"], remaining.Labels["container_id"]));
        Assert.Equal(Pods[shadowed].Body, await GetAsync(client, "prerouting"));
        Assert.Equal(Pods[shadowed].Body, await GetAsync(node, "output"));
    }

    /// <summary>The ruleset of a layout, the host_ip label of its two claims, and the sandbox whose claim the kernel reaches first.</summary>
    private static (string Ruleset, string HostIp, string Winner) Table(string layout)
    {
        const string V19Hooks = """
              chain hostports_all { jump hostip_hostports; jump hostports; }
              chain prerouting { type nat hook prerouting priority -100; policy accept; fib daddr type local jump hostports_all; }
              chain output { type nat hook output priority -100; policy accept; fib daddr type local jump hostports_all; }
            """;
        const string V18Hooks = """
              chain prerouting { type nat hook prerouting priority -100; policy accept; jump hostip_hostports; jump hostports; }
              chain output { type nat hook output priority -100; policy accept; jump hostip_hostports; fib daddr type local jump hostports; }
            """;
        // Hand-made: the hooks reach hostports before hostip_hostports.
        const string HostPortsFirstHooks = """
              chain prerouting { type nat hook prerouting priority -100; policy accept; jump hostports; jump hostip_hostports; }
              chain output { type nat hook output priority -100; policy accept; fib daddr type local jump hostports; jump hostip_hostports; }
            """;
        var hostIpMatch = $"ip daddr {NodeIp} ";
        return layout switch
        {
            // Stop/start on v1.9: the old pod's rule was never deleted, the new pod's is appended after it.
            "v1.9" => (Ruleset(V19Hooks, ("hostports", "", OldId), ("hostports", "", NewId)), "any", OldId),
            // After an upgrade to v1.9: the new pod's hostIP rule goes to hostports (added first here, so the lower
            // handle), the old pod's left in hostip_hostports, which hostports_all jumps to first.
            "v1.9-with-hostip-rule-left-by-1.8" => (Ruleset(V19Hooks, ("hostports", hostIpMatch, NewId), ("hostip_hostports", hostIpMatch, OldId)), NodeIp, OldId),
            "v1.8" => (Ruleset(V18Hooks, ("hostports", "", OldId), ("hostports", "", NewId)), "any", OldId),
            "v1.8-hostip" => (Ruleset(V18Hooks, ("hostip_hostports", hostIpMatch, OldId), ("hostip_hostports", hostIpMatch, NewId)), NodeIp, OldId),
            // tests/Fixtures/nftables/hostports-first.json's shape: hostip_hostports' claim is older, hostports' wins.
            "hostports-first" => (Ruleset(HostPortsFirstHooks, ("hostip_hostports", hostIpMatch, OldId), ("hostports", hostIpMatch, NewId)), NodeIp, NewId),
            _ => throw new ArgumentOutOfRangeException(nameof(layout), layout, "no such layout"),
        };
    }

    private static string Ruleset(string hooks, params (string Chain, string Match, string Sandbox)[] claims) =>
        $$"""
        table ip cni_hostport {
          chain hostports { }
          chain hostip_hostports { }
        {{hooks}}
        }

        """ + string.Concat(claims.Select(claim =>
            $"add rule ip cni_hostport {claim.Chain} {claim.Match}tcp dport {HostPort} dnat to {NodeIp}:{Pods[claim.Sandbox].Port} comment \"{claim.Sandbox}\"\n"));

    /// <summary>The commands of the duplicate finding's surgical fix step.</summary>
    private static List<string> SurgicalCommands(string checkJson)
    {
        using var report = JsonDocument.Parse(checkJson);
        var duplicate = Assert.Single(report.RootElement.GetProperty("findings").EnumerateArray(), finding => finding.GetProperty("id").GetString() == "hostport-dnat-duplicate");
        var fix = Assert.Single(duplicate.GetProperty("fixes").EnumerateArray(), fix => fix.GetProperty("description").GetString()!.StartsWith("Surgical", StringComparison.Ordinal));
        return [.. fix.GetProperty("commands").EnumerateArray().Select(command => command.GetString()!)];
    }

    /// <summary>A veth between the namespaces: the client reaches the node's address through the node's prerouting hook.</summary>
    private static async Task ConnectAsync(NetworkNamespace client, NetworkNamespace node)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (clientEnd, nodeEnd) = ("nfc" + suffix, "nfn" + suffix);
        (await TestCommand.RunAsync("ip", ["link", "add", clientEnd, "netns", client.Name, "type", "veth", "peer", "name", nodeEnd, "netns", node.Name])).EnsureSuccess("ip link add veth");
        (await client.ExecAsync("ip", ["addr", "add", $"{ClientIp}/24", "dev", clientEnd])).EnsureSuccess("address the client");
        (await client.ExecAsync("ip", ["link", "set", clientEnd, "up"])).EnsureSuccess("client link up");
        (await node.ExecAsync("ip", ["addr", "add", $"{NodeIp}/24", "dev", nodeEnd])).EnsureSuccess("address the node");
        (await node.ExecAsync("ip", ["link", "set", nodeEnd, "up"])).EnsureSuccess("node link up");
    }

    private static string NamespacePath(NetworkNamespace ns) => "/var/run/netns/" + ns.Name;

    /// <summary>GET on the host port from inside <paramref name="from"/>: the answering pod's body.</summary>
    private static async Task<string> GetAsync(NetworkNamespace from, string path)
    {
        using var http = from.CreateHttpClient(TimeSpan.FromSeconds(10));
        using var response = await http.GetAsync(new Uri($"http://{NodeIp}:{HostPort}/{path}"), TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
        return await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
    }
}
