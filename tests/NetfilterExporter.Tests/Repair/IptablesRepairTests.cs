using System.Text.RegularExpressions;
using NetfilterExporter.Assessment;
using NetfilterExporter.Collection;
using NetfilterExporter.Fix;
using NetfilterExporter.HostPorts;
using NetfilterExporter.Iptables;
using NetfilterExporter.Repair;
using NetfilterExporter.Sources;

namespace NetfilterExporter.Tests.Repair;

/// <summary>
/// The repair against real iptables: a namespace's nat table restored from the stop/start dumps, planned from a
/// collection through the save command, applied with iptables-restore --noflush, read back. Only the stale claim's jump
/// and chain may go; a table changed between plan and repair must be left exactly as the change left it.
/// </summary>
public sealed partial class IptablesRepairTests
{
    public static TheoryData<string, string> Tables => new()
    {
        { "legacy/ipv4", "after-stop-start.legacy-ipv4.txt" },
        { "legacy/ipv6", "after-stop-start.legacy-ipv6.txt" },
        { "nft/ipv4", "after-stop-start.legacy-ipv4.txt" },
        { "nft/ipv6", "after-stop-start.legacy-ipv6.txt" },
    };

    [Theory]
    [MemberData(nameof(Tables))]
    public async Task Applying_the_plan_removes_the_stale_jump_and_chain_keeps_the_live_claim_and_changes_nothing_else(string table, string dump)
    {
        var cancellation = TestContext.Current.CancellationToken;
        var source = Source(table);
        await using var ns = await NetworkNamespace.CreateAsync();
        await ns.RestoreAsync(source.IptablesCommand + "-restore", Dump(dump));
        using var tools = NamespaceRepairTools.For(ns);
        var plan = RepairPlanner.Plan(Assess(await tools.CollectAsync(source, cancellation)));
        var planned = Assert.Single(plan.Tables);
        var chain = Assert.Single(planned.Deletions.Select(deletion => deletion.Deletion).OfType<RuleDeletion.Chain>()).Name;
        var before = await SaveAsync(ns, source);
        var logger = new RecordingLogger();

        var result = await new RepairApplier(tools.Tools, logger).ApplyAsync(plan, cancellation);

        var applied = Assert.Single(result.Tables);
        Assert.True(applied.Status == RepairStatus.Applied, applied.Error);
        var after = await SaveAsync(ns, source);
        Assert.Equal(Without(before, chain), after);
        Assert.Contains(after, line => line.StartsWith("-A CNI-HOSTPORT-DNAT", StringComparison.Ordinal) && line.Contains(ExampleSandboxes.NewIngress, StringComparison.Ordinal));
        Assert.DoesNotContain(after, line => line.Contains(ExampleSandboxes.OldIngress, StringComparison.Ordinal));
        var verification = RepairVerifier.Verify(plan, Assess(await tools.CollectAsync(source, cancellation)));
        Assert.True(verification.AllGone, string.Join("; ", verification.Left.Select(left => left.Why)));
        Assert.Equal(RepairExitCode.Repaired, RepairExitCodes.Of(result, verification));
        // One line per change, naming the node, the rule and the sandbox.
        Assert.Equal(2, logger.Lines.Count);
        Assert.All(logger.Lines, line => Assert.Contains("test-node: deleted ", line, StringComparison.Ordinal));
        Assert.Contains($"jump CNI-HOSTPORT-DNAT -p tcp -m comment --comment \"dnat name: \\\"k8s-pod-network\\\" id: \\\"{ExampleSandboxes.OldIngress}\\\"\"", logger.Lines[0], StringComparison.Ordinal);
        Assert.Contains($"chain {chain}", logger.Lines[1], StringComparison.Ordinal);
        Assert.All(logger.Lines, line => Assert.Contains($"sandbox {ExampleSandboxes.OldIngress}, pod ingress/nginx-ingress-microk8s-controller-4tq8z", line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_interrupt_after_the_first_table_leaves_the_second_untouched_and_says_which_was_applied()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var (ipv4, ipv6) = (Source("legacy/ipv4"), Source("legacy/ipv6"));
        await using var ns = await NetworkNamespace.CreateAsync();
        await ns.RestoreAsync("iptables-legacy-restore", Dump("after-stop-start.legacy-ipv4.txt"));
        await ns.RestoreAsync("ip6tables-legacy-restore", Dump("after-stop-start.legacy-ipv6.txt"));
        using var tools = NamespaceRepairTools.For(ns);
        var observations = new[] { await tools.CollectAsync(ipv4, cancellation), await tools.CollectAsync(ipv6, cancellation) };
        var plan = RepairPlanner.Plan(observations, Assess(observations[0]).Joins.Sandboxes, null, "test-node");
        Assert.Equal([ipv4, ipv6], plan.Tables.Select(table => table.Source));
        var ipv6Before = await SaveAsync(ns, ipv6);
        using var interrupt = new CancellationTokenSource();
        // Ctrl-C as the first table's change is logged: its transaction has committed, the second's has not started.
        var logger = new RecordingLogger(line =>
        {
            if (line.Contains(": deleted ", StringComparison.Ordinal))
            {
                interrupt.Cancel();
            }
        });

        var result = await new RepairApplier(tools.Tools, logger).ApplyAsync(plan, interrupt.Token);

        Assert.Equal([RepairStatus.Applied, RepairStatus.Interrupted], result.Tables.Select(table => table.Status));
        Assert.DoesNotContain(await SaveAsync(ns, ipv4), line => line.Contains(ExampleSandboxes.OldIngress, StringComparison.Ordinal));
        Assert.Equal(ipv6Before, await SaveAsync(ns, ipv6));
        var report = FixReport.Interrupted(result);
        Assert.Contains("  legacy/ipv4: applied\n", report, StringComparison.Ordinal);
        Assert.Contains("  legacy/ipv6: NOT RUN, interrupted: nothing changed\n", report, StringComparison.Ordinal);
        Assert.EndsWith("nothing was verified. Run `netfilter-exporter check`.\n", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_comment_with_quotes_backslashes_and_blanks_is_deleted_exactly_as_saved()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var source = Source("legacy/ipv4");
        // iptables-save escapes a double quote and a backslash inside the quoted comment; the rest is printed as it is.
        const string network = @"we\\ird \""net\"" it's  two  blanks";
        var dump = string.Join('\n', Dump("after-stop-start.legacy-ipv4.txt").Split('\n').Select(line =>
            line.Contains(ExampleSandboxes.OldIngress, StringComparison.Ordinal) ? line.Replace("k8s-pod-network", network, StringComparison.Ordinal) : line));
        await using var ns = await NetworkNamespace.CreateAsync();
        await ns.RestoreAsync("iptables-legacy-restore", dump);
        using var tools = NamespaceRepairTools.For(ns);
        var plan = RepairPlanner.Plan(Assess(await tools.CollectAsync(source, cancellation)));
        var jump = Assert.IsType<RuleDeletion.Jump>(Assert.Single(plan.Tables).Deletions[0].Deletion);
        Assert.Contains(@"dnat name: ""we\ird ""net"" it's  two  blanks"" id:", jump.Rule.Comment, StringComparison.Ordinal);
        var before = await SaveAsync(ns, source);

        var result = await new RepairApplier(tools.Tools, new RecordingLogger()).ApplyAsync(plan, cancellation);

        Assert.Equal(RepairStatus.Applied, Assert.Single(result.Tables).Status);
        Assert.Equal(Without(before, "CNI-DN-5649e0ce7bb9710670939"), await SaveAsync(ns, source));
    }

    /// <summary>What another writer does between the plan and the repair, as iptables-restore --noflush input.</summary>
    public static TheoryData<string> Races => new()
    {
        "a copy of the planned jump is inserted",
        "the planned jump is replaced by one with another port list",
        "someone else deleted the planned jump",
        "the stale chain gains a rule",
    };

    [Theory]
    [MemberData(nameof(Races))]
    public async Task A_table_changed_between_plan_and_repair_is_left_exactly_as_the_change_left_it(string race)
    {
        var cancellation = TestContext.Current.CancellationToken;
        var source = Source("legacy/ipv4");
        await using var ns = await NetworkNamespace.CreateAsync();
        await ns.RestoreAsync("iptables-legacy-restore", Dump("after-stop-start.legacy-ipv4.txt"));
        using var tools = NamespaceRepairTools.For(ns);
        var plan = RepairPlanner.Plan(Assess(await tools.CollectAsync(source, cancellation)));
        var jump = RestoreQuote.Join(Assert.IsType<RuleDeletion.Jump>(Assert.Single(plan.Tables).Deletions[0].Deletion).Rule.Arguments);
        var change = race switch
        {
            "a copy of the planned jump is inserted" => $"-I CNI-HOSTPORT-DNAT 1 {jump}",
            "the planned jump is replaced by one with another port list" => $"-R CNI-HOSTPORT-DNAT 1 {jump.Replace("--dports 80,443", "--dports 80,443,8443", StringComparison.Ordinal)}",
            "someone else deleted the planned jump" => $"-D CNI-HOSTPORT-DNAT {jump}",
            _ => "-A CNI-DN-5649e0ce7bb9710670939 -p udp -m udp --dport 53 -j DNAT --to-destination 10.1.254.70:53",
        };
        (await ns.ExecAsync("iptables-legacy-restore", ["--noflush"], $"*nat\n{change}\nCOMMIT\n")).EnsureSuccess(race);
        var raced = await SaveAsync(ns, source);

        var result = await new RepairApplier(tools.Tools, new RecordingLogger()).ApplyAsync(plan, cancellation);

        var aborted = Assert.Single(result.Tables);
        Assert.Equal(RepairStatus.Aborted, aborted.Status);
        Assert.NotEmpty(aborted.Changes);
        Assert.Equal(raced, await SaveAsync(ns, source));
        var verification = RepairVerifier.Verify(plan, Assess(await tools.CollectAsync(source, cancellation)));
        Assert.Equal(RepairExitCode.Aborted, RepairExitCodes.Of(result, verification));
    }

    internal static NodeAssessment Assess(HostPortObservation observation) =>
        SourceTable.Assess(new NodeSnapshot(DateTimeOffset.UtcNow, [], [observation, ExampleSandboxes.AfterStopStart()], Node: "test-node"));

    private static RuleSource Source(string table) =>
        RuleSource.Iptables.Single(source => source.ToString() == table);

    private static string Dump(string name) => name.Contains("ipv4", StringComparison.Ordinal) ? Dumps.Example(name) : Dumps.Fixture(name);

    /// <summary>The nat table as iptables-save prints it, without its comment lines and counters.</summary>
    private static async Task<IReadOnlyList<string>> SaveAsync(NetworkNamespace ns, RuleSource source)
    {
        var saved = (await ns.ExecAsync(source.SaveCommand, ["-t", "nat"])).EnsureSuccess(source.SaveCommand).StandardOutput;
        return [.. saved.Split('\n').Where(line => line.Length > 0 && !line.StartsWith('#')).Select(line => Counters().Replace(line, "[-]"))];
    }

    /// <summary>The lines of <paramref name="saved"/> that neither declare, fill nor jump to <paramref name="chain"/>.</summary>
    private static IReadOnlyList<string> Without(IReadOnlyList<string> saved, string chain) =>
        [.. saved.Where(line => !Regex.IsMatch(line, $@"(^:|-A | -j ){Regex.Escape(chain)}( |$)"))];

    [GeneratedRegex(@"\[\d+:\d+\]")]
    private static partial Regex Counters();
}
