using NetfilterExporter.Assessment;
using NetfilterExporter.Conntrack;
using NetfilterExporter.Cri;
using NetfilterExporter.Findings;
using NetfilterExporter.HostPorts;
using NetfilterExporter.Iptables;
using NetfilterExporter.Repair;

namespace NetfilterExporter.Unit.Tests.Repair;

public sealed class RepairPlannerTests
{
    [Fact]
    public async Task After_stop_start_the_stale_winners_jump_and_chain_are_planned_and_the_live_claim_is_not()
    {
        var plan = RepairPlanner.Plan([await RepairExamples.AfterStopStartAsync()], RepairExamples.Runtime, null, "gpu-worker-1");

        var table = Assert.Single(plan.Tables);
        Assert.Equal(RepairExamples.LegacyIpv4, table.Source);
        Assert.Equal("iptables-legacy-restore --noflush --wait=5", table.CommandLine);
        var jump = Assert.IsType<RuleDeletion.Jump>(table.Deletions[0].Deletion);
        Assert.Equal(ExampleSandboxes.OldIngress, jump.SandboxId);
        Assert.Equal("CNI-DN-5649e0ce7bb9710670939", Assert.IsType<RuleDeletion.Chain>(table.Deletions[1].Deletion).Name);
        Assert.Equal(2, table.Deletions.Count);
        Assert.All(table.Deletions, deletion => Assert.Equal(("ingress/nginx-ingress-microk8s-controller-4tq8z", StaleClaimFindings.Id), (deletion.Pod, deletion.Why)));
        Assert.Equal([ExampleSandboxes.OldIngress], table.Sandboxes);
        Assert.DoesNotContain(ExampleSandboxes.NewIngress, table.Transaction, StringComparison.Ordinal);
        Assert.Equal("gpu-worker-1", plan.Node);
        Assert.Null(plan.Conntrack);

        // The live claim, once per port it claims, with its pod and why.
        Assert.Equal(2, plan.NotPlanned.Count);
        Assert.All(plan.NotPlanned, skipped =>
        {
            Assert.Equal((NotPlannedReason.Live, ExampleSandboxes.NewIngress, "ingress/nginx-ingress-microk8s-controller-9xk2d"), (skipped.Reason, skipped.SandboxId, skipped.Pod));
            Assert.Contains("lists its sandbox as ready", skipped.Why, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task The_plan_deletes_exactly_what_check_prints_for_the_stale_claim()
    {
        var observation = await RepairExamples.AfterStopStartAsync();
        var check = HostPortFindings.Detect(observation, RepairExamples.Runtime, MicroK8sUpgrade.For(null)).Single(finding => finding.Id == StaleClaimFindings.Id);

        var table = Assert.Single(RepairPlanner.Plan([observation], RepairExamples.Runtime, null, null).Tables);

        Assert.Equal(check.Fixes[1].Commands, table.ShellCommands);
    }

    [Fact]
    public async Task Without_a_runtime_nothing_is_planned_and_each_claim_says_why()
    {
        var plan = RepairPlanner.Plan([await RepairExamples.AfterStopStartAsync()], SandboxJoin.None, null, null);

        Assert.True(plan.IsEmpty);
        // The shadowed-by-order guess check offers (the first of two claims is the old one) is never made by fix.
        var old = plan.NotPlanned.Where(skipped => skipped.SandboxId == ExampleSandboxes.OldIngress).ToList();
        Assert.Equal(2, old.Count);
        Assert.All(old, skipped => Assert.Equal(NotPlannedReason.DuplicateNotJudged, skipped.Reason));
        Assert.Contains("never guesses", old[0].Why, StringComparison.Ordinal);
        var newest = plan.NotPlanned.Where(skipped => skipped.SandboxId == ExampleSandboxes.NewIngress).ToList();
        Assert.Equal(2, newest.Count);
        Assert.All(newest, skipped => Assert.Equal(NotPlannedReason.RuntimeNotAsked, skipped.Reason));
        Assert.Contains("no container runtime answered", newest[0].Why, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_runtime_list_not_confirmed_after_the_dumps_is_no_evidence_and_plans_nothing()
    {
        var healthy = await RepairExamples.LegacyAsync(Dumps.Example("healthy.legacy-ipv4.txt"));
        var unconfirmed = SandboxJoin.Of(RepairExamples.Listing().Unconfirmed());

        var plan = RepairPlanner.Plan([healthy], unconfirmed, null, null);

        Assert.True(plan.IsEmpty);
        Assert.NotEmpty(plan.NotPlanned);
        Assert.All(plan.NotPlanned, skipped => Assert.Equal(NotPlannedReason.RuntimeCouldNotJudge, skipped.Reason));
    }

    [Fact]
    public async Task A_claim_whose_sandbox_is_being_created_is_left_alone_and_says_so()
    {
        var observation = await RepairExamples.LegacyAsync(Dumps.Example("after-stop-start.legacy-ipv4.txt"));
        var starting = SandboxJoin.Of(new PodSandboxes(
            [new Sandbox(ExampleSandboxes.NewIngress, "ingress", "web", true)], beingCreated: new HashSet<string> { ExampleSandboxes.OldIngress }));

        var plan = RepairPlanner.Plan([observation], starting, null, null);

        Assert.True(plan.IsEmpty);
        var left = plan.NotPlanned.Where(skipped => skipped.SandboxId == ExampleSandboxes.OldIngress).ToList();
        Assert.Equal(2, left.Count);
        Assert.All(left, skipped => Assert.Equal(NotPlannedReason.BeingCreated, skipped.Reason));
        Assert.StartsWith("being created: containerd holds its sandbox but CRI does not list it yet", left[0].Why, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_rule_restore_cannot_be_given_keeps_every_rule_of_its_sandbox_out_of_the_plan()
    {
        // The stale sandbox's one multiport jump as two, the 443 one with an empty comment iptables-restore cannot take.
        var (forPort80, forPort443) = (RepairExamples.StaleJump.Replace("80,443", "80", StringComparison.Ordinal), RepairExamples.StaleJump.Replace("80,443", "443", StringComparison.Ordinal).Replace("-p tcp", "-p tcp -m comment --comment \"\"", StringComparison.Ordinal));
        var dump = Dumps.Example("after-stop-start.legacy-ipv4.txt").Replace(RepairExamples.StaleJump, forPort80 + "\n[0:0] -A CNI-HOSTPORT-DNAT " + forPort443, StringComparison.Ordinal);
        var observation = await RepairExamples.LegacyAsync(dump);
        Assert.Equal(2, observation.Report.Ports.SelectMany(port => port.Claims).Count(claim => claim.ContainerId == ExampleSandboxes.OldIngress));

        var plan = RepairPlanner.Plan([observation], RepairExamples.Runtime, null, null);

        Assert.True(plan.IsEmpty, string.Join("\n", plan.Tables.SelectMany(table => table.Deletions).Select(deletion => deletion.Rule(RepairExamples.LegacyIpv4))));
        var left = plan.NotPlanned.Where(skipped => skipped.SandboxId == ExampleSandboxes.OldIngress).ToList();
        Assert.Equal(2, left.Count);
        Assert.All(left, skipped => Assert.Equal(NotPlannedReason.NotWritable, skipped.Reason));
        Assert.Contains(left, skipped => skipped.Why.StartsWith("its rule holds an argument iptables-restore cannot be given (an empty argument)", StringComparison.Ordinal));
        Assert.Contains(left, skipped => skipped.Why.StartsWith("another rule of its sandbox holds an argument", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_orphan_chain_is_flushed_and_deleted_even_without_a_runtime()
    {
        var plan = RepairPlanner.Plan([await RepairExamples.LegacyAsync(RepairExamples.WithOrphanChain())], SandboxJoin.None, null, null);

        var table = Assert.Single(plan.Tables);
        var orphan = Assert.Single(table.Deletions);
        Assert.Equal(new RuleDeletion.Chain("CNI-DN-0bad0bad0bad0bad0bad0", null), orphan.Deletion);
        Assert.Equal((null, HostPortFindings.OrphanId), (orphan.Pod, orphan.Why));
        Assert.Equal("*nat\n-F CNI-DN-0bad0bad0bad0bad0bad0\n-X CNI-DN-0bad0bad0bad0bad0bad0\nCOMMIT\n", table.Transaction);
    }

    [Fact]
    public void In_portmaps_nftables_table_the_stale_claims_dnat_and_masquerade_rules_are_planned_by_handle()
    {
        var observation = NftablesListings.Observe("v1.9-after-stop-start");

        var plan = RepairPlanner.Plan([observation], RepairExamples.Runtime, null, null);

        var table = Assert.Single(plan.Tables);
        Assert.Equal(RepairExamples.NftablesIpv4, table.Source);
        Assert.Equal("nft -f -", table.CommandLine);
        Assert.Equal(
            [("hostports", 11L), ("hostports", 12L), ("masquerading", 13L), ("masquerading", 14L)],
            table.Deletions.Select(deletion => Assert.IsType<RuleDeletion.NftRule>(deletion.Deletion)).Select(deletion => (deletion.Rule.Chain, deletion.Rule.Handle)));
        Assert.All(table.Deletions, deletion => Assert.Equal(ExampleSandboxes.OldIngress, deletion.Deletion.SandboxId));
        Assert.Equal(
            "delete rule ip cni_hostport hostports handle 11\ndelete rule ip cni_hostport hostports handle 12\n" +
            "delete rule ip cni_hostport masquerading handle 13\ndelete rule ip cni_hostport masquerading handle 14\n",
            table.Transaction);
        Assert.Equal(3, plan.NotPlanned.Count);
        Assert.All(plan.NotPlanned, skipped => Assert.Equal((NotPlannedReason.Live, ExampleSandboxes.NewIngress), (skipped.Reason, skipped.SandboxId)));
    }

    [Fact]
    public void In_the_ipv6_nftables_table_the_deletes_name_the_ip6_family()
    {
        var plan = RepairPlanner.Plan([NftablesListings.Observe("v1.9-after-stop-start.ipv6", IpFamily.IPv6)], RepairExamples.Runtime, null, null);

        var table = Assert.Single(plan.Tables);
        Assert.NotEmpty(table.Deletions);
        Assert.All(table.Transaction.TrimEnd('\n').Split('\n'), line => Assert.StartsWith("delete rule ip6 cni_hostport ", line, StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_nf_conntrack_that_modprobe_loads_is_planned_with_its_boot_file_and_kubelite_is_left_to_the_operator()
    {
        var plan = RepairPlanner.Plan([], SandboxJoin.None, Conntrack(sysctl: false, modprobeWorks: true), null);

        Assert.Equal(new ConntrackRepair(true, "/etc/modules-load.d/nf_conntrack.conf"), plan.Conntrack);
        Assert.Equal(["modprobe nf_conntrack", "echo nf_conntrack > /etc/modules-load.d/nf_conntrack.conf"], plan.Conntrack!.ShellCommands);
        var restart = Assert.Single(plan.NotPlanned);
        Assert.Equal(NotPlannedReason.LeftToOperator, restart.Reason);
        Assert.Contains("never restarts services", restart.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_nf_conntrack_that_modprobe_refuses_is_not_planned()
    {
        var refusal = new BlacklistEntry("/etc/modprobe.d/no-conntrack.conf", 1, "install nf_conntrack /bin/false", BlacklistKind.InstallCommand);

        var plan = RepairPlanner.Plan([], SandboxJoin.None, Conntrack(sysctl: false, modprobeWorks: false, blacklist: [refusal]), null);

        Assert.Null(plan.Conntrack);
        Assert.Contains(plan.NotPlanned, skipped => skipped.Reason == NotPlannedReason.ModprobeRefused);
        Assert.Contains(plan.NotPlanned, skipped => skipped.Reason == NotPlannedReason.LeftToOperator && skipped.What.StartsWith("/etc/modprobe.d/no-conntrack.conf:1", StringComparison.Ordinal));
    }

    [Fact]
    public void A_loaded_nf_conntrack_nothing_lists_for_boot_gets_only_the_boot_file()
    {
        var plan = RepairPlanner.Plan([], SandboxJoin.None, Conntrack(sysctl: true, modprobeWorks: true), null);

        Assert.Equal(new ConntrackRepair(false, ConntrackRepair.BootFilePath), plan.Conntrack);
        Assert.Empty(plan.NotPlanned);
    }

    [Fact]
    public void A_loaded_nf_conntrack_listed_for_boot_needs_nothing()
    {
        var plan = RepairPlanner.Plan([], SandboxJoin.None, Conntrack(sysctl: true, modprobeWorks: true, bootSources: ["/etc/modules-load.d/k8s.conf"]), null);

        Assert.True(plan.IsEmpty);
    }

    private static ConntrackReport Conntrack(bool sysctl, bool modprobeWorks, IReadOnlyList<string>? bootSources = null, IReadOnlyList<BlacklistEntry>? blacklist = null) =>
        new(sysctl, false, sysctl, bootSources is { Count: > 0 }, bootSources ?? [], blacklist ?? [], modprobeWorks, sysctl ? 10 : null, sysctl ? 65536 : null);
}
