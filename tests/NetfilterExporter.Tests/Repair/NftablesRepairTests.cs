using System.Text.Json.Nodes;
using NetfilterExporter.HostPorts;
using NetfilterExporter.Iptables;
using NetfilterExporter.Repair;

namespace NetfilterExporter.Tests.Repair;

/// <summary>
/// The repair against portmap's nftables table: loaded with <c>nft -j -f</c> from tests/Fixtures/nftables (nft numbers
/// its rules anew, so the plan comes from listing it), applied with <c>nft -f -</c>, listed again.
/// </summary>
public sealed class NftablesRepairTests
{
    public static TheoryData<string, IpFamily> Listings => new()
    {
        { "v1.9-after-stop-start", IpFamily.IPv4 },
        { "v1.9-after-stop-start.ipv6", IpFamily.IPv6 },
    };

    [Theory]
    [MemberData(nameof(Listings))]
    public async Task Applying_the_plan_removes_the_stale_sandboxs_rules_by_handle_and_nothing_else(string listing, IpFamily family)
    {
        var cancellation = TestContext.Current.CancellationToken;
        var source = new RuleSource(IptablesBackend.Nftables, family);
        await using var ns = await NetworkNamespace.CreateAsync();
        await LoadAsync(ns, File.ReadAllText(NftablesListings.Path(listing)));
        using var tools = NamespaceRepairTools.For(ns);
        var plan = RepairPlanner.Plan(IptablesRepairTests.Assess(await tools.CollectAsync(source, cancellation)));
        var deletions = Assert.Single(plan.Tables).Deletions.Count;
        Assert.True(deletions >= 2, $"{deletions} deletion(s): a DNAT rule and its masquerade rule at least");
        var before = await ListAsync(ns, source);
        var logger = new RecordingLogger();

        var result = await new RepairApplier(tools.Tools, logger).ApplyAsync(plan, cancellation);

        var applied = Assert.Single(result.Tables);
        Assert.True(applied.Status == RepairStatus.Applied, applied.Error);
        var after = await ListAsync(ns, source);
        Assert.Equal([.. before.Where(line => !line.Contains(ExampleSandboxes.OldIngress, StringComparison.Ordinal))], after);
        Assert.Contains(after, line => line.Contains(ExampleSandboxes.NewIngress, StringComparison.Ordinal));
        Assert.True(RepairVerifier.Verify(plan, IptablesRepairTests.Assess(await tools.CollectAsync(source, cancellation))).AllGone);
        Assert.Equal(deletions, logger.Lines.Count);
        Assert.All(logger.Lines, line => Assert.Matches($@"test-node: deleted rule {source.NftFamily} cni_hostport (hostports|masquerading) handle \d+ .*sandbox {ExampleSandboxes.OldIngress}", line));
    }

    public static TheoryData<string> Races => new()
    {
        "the table is loaded again with the live pod's rules first, so the planned handles hold them",
        "the planned rule is deleted and added again, under a new handle",
    };

    [Theory]
    [MemberData(nameof(Races))]
    public async Task A_handle_that_no_longer_holds_the_planned_rule_aborts_and_leaves_the_table_as_the_change_left_it(string race)
    {
        var cancellation = TestContext.Current.CancellationToken;
        var source = new RuleSource(IptablesBackend.Nftables, IpFamily.IPv4);
        var json = File.ReadAllText(NftablesListings.Path("v1.9-after-stop-start"));
        await using var ns = await NetworkNamespace.CreateAsync();
        await LoadAsync(ns, json);
        using var tools = NamespaceRepairTools.For(ns);
        var plan = RepairPlanner.Plan(IptablesRepairTests.Assess(await tools.CollectAsync(source, cancellation)));
        var first = Assert.IsType<RuleDeletion.NftRule>(Assert.Single(plan.Tables).Deletions[0].Deletion).Rule;
        if (race.StartsWith("the table is loaded again", StringComparison.Ordinal))
        {
            (await ns.ExecAsync("nft", ["delete", "table", "ip", "cni_hostport"])).EnsureSuccess("delete the table");
            await LoadAsync(ns, LivePodFirst(json));
        }
        else
        {
            var handle = first.Handle.ToString(System.Globalization.CultureInfo.InvariantCulture);
            (await ns.ExecAsync("nft", ["-f", "-"],
                $"delete rule ip cni_hostport hostports handle {handle}\nadd rule ip cni_hostport hostports tcp dport 80 dnat to 10.1.254.70:80 comment \"{ExampleSandboxes.OldIngress}\"\n"))
                .EnsureSuccess("delete and add the rule again");
        }
        var raced = await ListAsync(ns, source);

        var result = await new RepairApplier(tools.Tools, new RecordingLogger()).ApplyAsync(plan, cancellation);

        var aborted = Assert.Single(result.Tables);
        Assert.Equal(RepairStatus.Aborted, aborted.Status);
        Assert.Contains(aborted.Changes, change => change.StartsWith($"handle {first.Handle}", StringComparison.Ordinal));
        Assert.Equal(raced, await ListAsync(ns, source));
    }

    private static async Task LoadAsync(NetworkNamespace ns, string json)
    {
        Prerequisites.RequireCommand("nft", "nftables");
        (await ns.ExecAsync("nft", ["-j", "-f", "-"], json)).EnsureSuccess("load portmap's nftables table");
    }

    /// <summary>nft -a list table, one line per chain or rule, handles included.</summary>
    private static async Task<IReadOnlyList<string>> ListAsync(NetworkNamespace ns, RuleSource source)
    {
        var listed = (await ns.ExecAsync("nft", ["-a", "list", "table", source.NftFamily, RuleSource.NftablesTable])).EnsureSuccess("nft list").StandardOutput;
        return [.. listed.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0)];
    }

    /// <summary>The listing with the hostports chain's rules of the live sandbox moved before the stale one's.</summary>
    private static string LivePodFirst(string json)
    {
        var document = JsonNode.Parse(json)!;
        var items = document["nftables"]!.AsArray();
        var hostports = items.Where(item => item?["rule"]?["chain"]?.GetValue<string>() == PortmapNftAnalyzer.HostPortsChain).ToList();
        foreach (var rule in hostports)
        {
            items.Remove(rule);
        }
        var reordered = hostports.OrderBy(rule => rule!["rule"]!["comment"]!.GetValue<string>() == ExampleSandboxes.OldIngress).ToList();
        var at = items.Select((item, index) => (item, index)).Last(pair => pair.item?["chain"] is not null).index + 1;
        foreach (var rule in reordered)
        {
            items.Insert(at++, rule);
        }
        return document.ToJsonString();
    }
}
