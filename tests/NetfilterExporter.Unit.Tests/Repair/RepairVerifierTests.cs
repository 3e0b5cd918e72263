using NetfilterExporter.Assessment;
using NetfilterExporter.Collection;
using NetfilterExporter.Conntrack;
using NetfilterExporter.HostPorts;
using NetfilterExporter.Repair;
using NetfilterExporter.Sources;

namespace NetfilterExporter.Unit.Tests.Repair;

public sealed class RepairVerifierTests
{
    [Fact]
    public async Task A_collection_without_the_stale_jump_and_chain_confirms_every_deletion()
    {
        var plan = RepairPlanner.Plan(Assess(await RepairExamples.AfterStopStartAsync()));
        var repaired = Dumps.Example("after-stop-start.legacy-ipv4.txt").Split('\n')
            .Where(line => !line.Contains("CNI-DN-5649e0ce7bb9710670939", StringComparison.Ordinal));

        var verification = RepairVerifier.Verify(plan, Assess(await RepairExamples.LegacyAsync(string.Join('\n', repaired))));

        Assert.Equal(2, verification.Deletions.Count);
        Assert.True(verification.AllGone);
        Assert.Empty(verification.FindingsLeft);
        Assert.Empty(verification.RemainingFindings);
    }

    [Fact]
    public async Task The_same_collection_again_leaves_every_deletion_and_the_stale_claim_finding()
    {
        var before = Assess(await RepairExamples.AfterStopStartAsync());
        var plan = RepairPlanner.Plan(before);

        var verification = RepairVerifier.Verify(plan, before);

        Assert.False(verification.AllGone);
        Assert.Equal(["the jump is still in CNI-HOSTPORT-DNAT", "the chain CNI-DN-5649e0ce7bb9710670939 still exists"], verification.Left.Select(left => left.Why));
        Assert.All(verification.Left, left => Assert.Equal(ExampleSandboxes.OldIngress, left.Deletion.Deletion.SandboxId));
        Assert.Equal([StaleClaimFindings.Id], verification.FindingsLeft);
        Assert.Equal([HostPortFindings.DuplicateId, StaleClaimFindings.Id], verification.RemainingFindings);
    }

    [Fact]
    public async Task A_table_the_new_collection_could_not_read_proves_nothing()
    {
        var plan = RepairPlanner.Plan(Assess(await RepairExamples.AfterStopStartAsync()));

        var verification = RepairVerifier.Verify(plan, SourceTable.Assess(new NodeSnapshot(DateTimeOffset.UnixEpoch, [], [ExampleSandboxes.AfterStopStart()])));

        Assert.All(verification.Deletions, deletion => Assert.Equal((false, "the legacy/ipv4 nat table could not be read again"), (deletion.Gone, deletion.Why)));
    }

    [Fact]
    public void An_nftables_repair_is_confirmed_when_its_handles_are_gone()
    {
        var plan = RepairPlanner.Plan(Assess(NftablesListings.Observe("v1.9-after-stop-start")));
        var json = File.ReadAllText(NftablesListings.Path("v1.9-after-stop-start"));
        var without = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        var items = without["nftables"]!.AsArray();
        foreach (var rule in items.Where(item => item?["rule"]?["comment"]?.GetValue<string>() == ExampleSandboxes.OldIngress).ToList())
        {
            items.Remove(rule);
        }
        var after = new HostPortObservation(RepairExamples.NftablesIpv4, PortmapNftAnalyzer.Analyze(NftablesListings.ParseText(without.ToJsonString()), NftablesListings.Origin));

        Assert.True(RepairVerifier.Verify(plan, Assess(after)).AllGone);
        Assert.Equal(4, RepairVerifier.Verify(plan, Assess(NftablesListings.Observe("v1.9-after-stop-start"))).Left.Count);
    }

    [Fact]
    public void A_conntrack_repair_is_confirmed_by_the_sysctl_and_a_boot_source()
    {
        var missing = new ConntrackReport(false, false, false, false, [], [], true, null, null);
        var plan = RepairPlanner.Plan(SourceTable.Assess(new NodeSnapshot(DateTimeOffset.UnixEpoch, [], [missing])));
        var loaded = missing with { ModuleLoaded = true, SysctlPresent = true, BootLoadConfigured = true, BootLoadSources = ["/etc/modules-load.d/nf_conntrack.conf"], Entries = 1, Limit = 65536 };

        var left = RepairVerifier.Verify(plan, SourceTable.Assess(new NodeSnapshot(DateTimeOffset.UnixEpoch, [], [missing])));
        var gone = RepairVerifier.Verify(plan, SourceTable.Assess(new NodeSnapshot(DateTimeOffset.UnixEpoch, [], [loaded])));

        Assert.Equal(2, left.ConntrackLeft.Count);
        Assert.Equal([ConntrackFindings.NotLoadedId], left.FindingsLeft);
        Assert.True(gone.AllGone);
        Assert.Empty(gone.FindingsLeft);
    }

    private static NodeAssessment Assess(HostPortObservation observation) =>
        SourceTable.Assess(new NodeSnapshot(DateTimeOffset.UnixEpoch, [], [observation, ExampleSandboxes.AfterStopStart()], Node: "gpu-worker-1"));
}
