using NetfilterExporter.TestSupport;

namespace NetfilterExporter.Tests.RealNode;

/// <summary>
/// `fix` as it ships, on a real node of each set of parts (Debian 12's, and today's with portmap's iptables and nftables
/// backends): MicroK8s' stop/start replayed with containerd, runc and portmap, then `fix` planning and `fix --apply`
/// repairing, judged by what a client gets on the host port.
/// </summary>
[Collection(RealNodeCollection.Name)]
public sealed class FixNodeTests
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    [Theory]
    [MemberData(nameof(NodePartsData.All), MemberType = typeof(NodePartsData))]
    public async Task After_stop_and_start_fix_plans_without_changing_and_fix_apply_brings_the_port_back(string parts)
    {
        var token = TestContext.Current.CancellationToken;
        await using var node = await NodePartsData.StartNodeAsync(parts, token);
        var (old, current) = await FixStory.StopAndStartAsync(node, token);
        Assert.NotEqual(HostPortOutcome.Answered, (await node.GetHostPortAsync(80, ProbeTimeout, token)).Outcome);
        var rulesBefore = await RulesAsync(node, token);

        var plan = await FixAsync(node, [], token);

        Assert.True(plan.ExitCode == 1, plan.StandardOutput + plan.StandardError);
        Assert.Contains($"sandbox {old.SandboxId}", plan.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed. To apply this plan: sudo netfilter-exporter fix --apply", plan.StandardOutput, StringComparison.Ordinal);
        // The live pod's claims are left alone, with the reason.
        Assert.Contains("Left alone:", plan.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(rulesBefore, await RulesAsync(node, token));

        var applied = await FixAsync(node, ["--apply"], token);

        Assert.True(applied.ExitCode == 0, applied.StandardOutput + applied.StandardError);
        Assert.Contains("No findings left", applied.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("LEFT", applied.StandardOutput, StringComparison.Ordinal);
        // Each change is one log line naming the node, the rule and the sandbox.
        Assert.Contains($"sandbox {old.SandboxId}", applied.StandardError, StringComparison.Ordinal);
        Assert.Contains("msg=\"node-under-test: deleted ", applied.StandardError, StringComparison.Ordinal);
        Assert.Equal(new HostPortReply(HostPortOutcome.Answered, 200, "ingress/nginx-ingress-microk8s-controller-9xk2d"), await node.GetHostPortAsync(80, ProbeTimeout, token));
        Assert.Equal(HostPortOutcome.Answered, (await node.GetHostPortAsync(443, ProbeTimeout, token)).Outcome);
        Assert.False(await node.HasPortmapRulesOfAsync(old.SandboxId, token), $"portmap's rules of {old.SandboxId} are still there");
        Assert.True(await node.HasPortmapRulesOfAsync(current.SandboxId, token), $"portmap's rules of the live {current.SandboxId} are gone");
        if (!node.Parts.IsNftables)
        {
            var saved = await node.SaveLegacyNatAsync(token);
            Assert.DoesNotContain(old.SandboxId, string.Join('\n', saved.Split('\n').Where(line => line.Contains("CNI-HOSTPORT", StringComparison.Ordinal) || line.Contains("CNI-DN-", StringComparison.Ordinal))), StringComparison.Ordinal);
        }
        // No orphan chain, nothing else: the node is healthy.
        var check = await node.RunAsync(ExporterProcess.BinaryPath, ["check", .. FixStory.Flags(node)], cancellationToken: token);
        Assert.True(check.ExitCode == 0, check.StandardOutput);
    }

    [Theory]
    [MemberData(nameof(NodePartsData.All), MemberType = typeof(NodePartsData))]
    public async Task With_the_runtime_unreachable_fix_plans_nothing_for_the_claims_and_changes_nothing(string parts)
    {
        var token = TestContext.Current.CancellationToken;
        await using var node = await NodePartsData.StartNodeAsync(parts, token);
        await FixStory.StopAndStartAsync(node, token);
        await node.StopContainerdAsync(token);
        var rulesBefore = await RulesAsync(node, token);

        var applied = await FixAsync(node, ["--apply", "--collector.timeout=3s"], token);

        Assert.True(applied.ExitCode == 1, applied.StandardOutput + applied.StandardError);
        Assert.Contains("Nothing to repair that the collected evidence confirms.", applied.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("state unknown: no container runtime answered in this collection", applied.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("Applied:", applied.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(rulesBefore, await RulesAsync(node, token));
    }

    /// <summary>fix repairs this node's own tables, as root, with the programs on PATH: anything else is refused (exit 2) before it reads a rule.</summary>
    [Fact]
    public async Task Fix_refuses_a_saved_dump_other_programs_and_a_user_without_root()
    {
        string[] dump = ["fix", "--apply", Fixture.ExampleFlag("after-stop-start.legacy-ipv4.txt")];
        string[] otherSave = ["fix", "--iptables.save-command.legacy-ipv4=/usr/sbin/iptables-legacy-save"];

        var fromFile = await TestCommand.RunAsync(ExporterProcess.BinaryPath, dump);
        var withOverride = await TestCommand.RunAsync(ExporterProcess.BinaryPath, otherSave);
        var asNobody = await TestCommand.RunAsync(Prerequisites.RequireCommand("runuser", "util-linux"), ["-u", "nobody", "--", ExporterProcess.BinaryPath, "fix"]);

        Assert.Equal((2, "netfilter-exporter: fix repairs this node's own tables; --iptables.from-file is for check\n"), (fromFile.ExitCode, fromFile.StandardError));
        Assert.Equal(2, withOverride.ExitCode);
        Assert.Contains("--iptables.save-command.* and --nftables.command are for check and the server", withOverride.StandardError, StringComparison.Ordinal);
        Assert.Equal((2, "netfilter-exporter: fix reads and changes this node's rules and needs root: sudo netfilter-exporter fix\n"), (asNobody.ExitCode, asNobody.StandardError));
        Assert.Equal("", fromFile.StandardOutput + withOverride.StandardOutput + asNobody.StandardOutput);
    }

    private static Task<CommandResult> FixAsync(ContainerdNode node, string[] arguments, CancellationToken token) =>
        node.RunAsync(ExporterProcess.BinaryPath, ["fix", .. arguments, .. FixStory.Flags(node)], timeout: TimeSpan.FromMinutes(1), cancellationToken: token);

    /// <summary>portmap's rules as the node's backend holds them, without the counters that traffic changes.</summary>
    private static async Task<string> RulesAsync(ContainerdNode node, CancellationToken token) =>
        node.Parts.IsNftables
            ? await node.ListNftHostPortTableAsync(token)
            : string.Join('\n', (await node.SaveLegacyNatAsync(token)).Split('\n').Where(line => !line.StartsWith('#')).Select(line => line.StartsWith('[') ? line[(line.IndexOf(']') + 1)..] : line.Split(' ')[0].StartsWith(':') ? line.Split(' ')[0] : line));
}
