using NetfilterExporter.Assessment;
using NetfilterExporter.Iptables;
using NetfilterExporter.Nftables;
using NetfilterExporter.Repair;

namespace NetfilterExporter.Unit.Tests.Repair;

public sealed class TableGuardTests
{
    private static readonly string Dump = Dumps.Example("after-stop-start.legacy-ipv4.txt");

    [Fact]
    public async Task The_same_table_read_again_with_other_counters_is_no_change()
    {
        var table = await PlanAsync();

        var again = await Dumps.ParseAsync(Dump.Replace("[149:8940] -A CNI-HOSTPORT-DNAT", "[150:9000] -A CNI-HOSTPORT-DNAT", StringComparison.Ordinal));

        Assert.Empty(TableGuard.Compare(table, again));
    }

    [Fact]
    public async Task A_planned_jump_that_is_gone_or_now_differs_aborts()
    {
        var table = await PlanAsync();
        var jump = Dump.Split('\n').Single(line => line.Contains("-A CNI-HOSTPORT-DNAT", StringComparison.Ordinal) && line.Contains(ExampleSandboxes.OldIngress, StringComparison.Ordinal));

        var replaced = TableGuard.Compare(table, await Dumps.ParseAsync(Dump.Replace(jump, jump.Replace("--dports 80,443", "--dports 80,443,8443", StringComparison.Ordinal), StringComparison.Ordinal)));
        var twice = TableGuard.Compare(table, await Dumps.ParseAsync(Dump.Replace(jump, jump + "\n" + jump, StringComparison.Ordinal)));

        Assert.Contains("is no longer in CNI-HOSTPORT-DNAT", Assert.Single(replaced), StringComparison.Ordinal);
        Assert.Contains("now in CNI-HOSTPORT-DNAT 2 times, not 1", Assert.Single(twice), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_planned_chain_holding_other_rules_now_aborts()
    {
        var table = await PlanAsync();

        var changes = TableGuard.Compare(table, await Dumps.ParseAsync(Dump.Replace(
            "COMMIT\n", "[0:0] -A CNI-DN-5649e0ce7bb9710670939 -p udp -m udp --dport 53 -j DNAT --to-destination 10.1.254.70:53\nCOMMIT\n", StringComparison.Ordinal)));

        Assert.Equal("the chain CNI-DN-5649e0ce7bb9710670939 now holds other rules (7, planned with 6)", Assert.Single(changes));
    }

    [Fact]
    public async Task An_orphan_that_a_rule_jumps_to_now_is_no_longer_deleted()
    {
        var dump = RepairExamples.WithOrphanChain();
        var table = Assert.Single(RepairPlanner.Plan([await RepairExamples.LegacyAsync(dump)], SandboxJoin.None, null, null).Tables);

        var changes = TableGuard.Compare(table, await Dumps.ParseAsync(dump.Replace(
            "COMMIT\n", "[0:0] -A PREROUTING -j CNI-DN-0bad0bad0bad0bad0bad0\nCOMMIT\n", StringComparison.Ordinal)));

        Assert.Contains("no longer an orphan", Assert.Single(changes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_nat_table_that_is_gone_aborts()
    {
        Assert.Contains("is gone", Assert.Single(TableGuard.Compare(await PlanAsync(), NatTable.Empty)), StringComparison.Ordinal);
    }

    [Fact]
    public void An_nftables_handle_that_now_holds_another_rule_or_none_aborts()
    {
        var table = Assert.Single(RepairPlanner.Plan([NftablesListings.Observe("v1.9-after-stop-start")], RepairExamples.Runtime, null, null).Tables);
        var json = File.ReadAllText(NftablesListings.Path("v1.9-after-stop-start"));

        var unchanged = TableGuard.Compare(table, NftablesListings.ParseText(json));
        // The table loaded again: handle 11 now holds the live pod's rule (nft numbers rules anew).
        var renumbered = TableGuard.Compare(table, NftablesListings.ParseText(json.Replace("\"handle\": 11,", "\"handle\": 99,", StringComparison.Ordinal).Replace("\"handle\": 15,", "\"handle\": 11,", StringComparison.Ordinal)));
        var gone = TableGuard.Compare(table, (NftTable?)null);

        Assert.Empty(unchanged);
        Assert.Equal(
            "handle 11 now holds another rule: chain hostports, comment d6437fe2be059268620ea6ecf9cbaa70fbce445e1a5358c974ceda661f4fda92 (planned: chain hostports, comment 4b42590d177e8116d1fd471bbc720e9491abd9163a1509fd7252af646e803cbf)",
            Assert.Single(renumbered));
        Assert.Equal("portmap's ip cni_hostport table is gone", Assert.Single(gone));
    }

    [Fact]
    public void An_nftables_rule_with_the_same_comment_but_another_expression_aborts()
    {
        var table = Assert.Single(RepairPlanner.Plan([NftablesListings.Observe("v1.9-after-stop-start")], RepairExamples.Runtime, null, null).Tables);
        var json = File.ReadAllText(NftablesListings.Path("v1.9-after-stop-start"));

        var changes = TableGuard.Compare(table, NftablesListings.ParseText(json.Replace("\"addr\": \"10.1.254.70\", \"port\": 80}", "\"addr\": \"10.1.254.71\", \"port\": 80}", StringComparison.Ordinal)));

        Assert.StartsWith("handle 11 now holds another rule", Assert.Single(changes), StringComparison.Ordinal);
    }

    private static async Task<TableRepair> PlanAsync() =>
        Assert.Single(RepairPlanner.Plan([await RepairExamples.LegacyAsync(Dump)], RepairExamples.Runtime, null, null).Tables);
}
