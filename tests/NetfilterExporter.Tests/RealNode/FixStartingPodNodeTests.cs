using System.Text.Json;
using NetfilterExporter.TestSupport;

namespace NetfilterExporter.Tests.RealNode;

/// <summary>
/// `fix` beside a pod that is being started, on a real node of each set of parts. containerd (1.6, 1.7, 2.x) runs the
/// CNI chain, portmap included, before it adds the sandbox to CRI's store: while a pod starts, its host port rules
/// exist and ListPodSandbox does not list its sandbox. The node's hold plugin keeps a creation in that state
/// (<see cref="ContainerdNode.StartHeldHostPortPodAsync"/>) for as long as a test needs, here a rolling ingress pod on
/// the ports of the stale and the current one after MicroK8s' stop/start.
/// </summary>
[Collection(RealNodeCollection.Name)]
public sealed class FixStartingPodNodeTests
{
    private const string StartingPod = "nginx-ingress-microk8s-controller-7pq5w";
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);


    [Theory]
    [MemberData(nameof(NodePartsData.All), MemberType = typeof(NodePartsData))]
    public async Task A_pod_being_created_is_left_alone_and_keeps_its_rules(string parts)
    {
        var token = TestContext.Current.CancellationToken;
        await using var node = await NodePartsData.StartNodeAsync(parts, token);
        var (old, _) = await FixStory.StopAndStartAsync(node, token);
        var held = await node.StartHeldHostPortPodAsync("ingress", StartingPod, FixStory.IngressPorts, token);
        var rulesBefore = await RulesAsync(node, token);

        var plan = await FixAsync(node, [], token);
        Report("fix", plan);

        Assert.True(plan.ExitCode == 1, plan.StandardOutput + plan.StandardError);
        var (planned, leftAlone) = Sections(plan.StandardOutput);
        Assert.Contains($"sandbox {old.SandboxId}", planned, StringComparison.Ordinal);
        // Neither its full id (the deletions' comments and owners) nor its short form (how claims are named) is planned.
        Assert.DoesNotContain(Short(held.SandboxId), planned, StringComparison.Ordinal);
        var entries = leftAlone.Where(entry => entry.Contains(Short(held.SandboxId), StringComparison.Ordinal)).ToList();
        Assert.True(entries.Count == FixStory.IngressPorts.Length, $"expected the starting sandbox {Short(held.SandboxId)} left alone on each port:\n{plan.StandardOutput}");
        Assert.All(entries, entry => Assert.Contains("being created", entry, StringComparison.Ordinal));
        Assert.Equal(rulesBefore, await RulesAsync(node, token));

        var applied = await FixAsync(node, ["--apply"], token);
        Report("fix --apply", applied);

        await AssertAppliedBesideTheStartingPodAsync(node, applied, old, held, token);

        // Created: the runtime lists it ready, and its claim is live.
        var started = await held.ReleaseAsync(token);

        var check = await node.RunAsync(ExporterProcess.BinaryPath, ["check", "--output", "json", .. FixStory.Flags(node)], cancellationToken: token);
        using var json = JsonDocument.Parse(check.StandardOutput);
        var claims = json.RootElement.GetProperty("hostPorts").EnumerateArray()
            .SelectMany(port => port.GetProperty("claims").EnumerateArray())
            .Where(claim => claim.GetProperty("containerId").GetString() == started.SandboxId)
            .ToList();
        Assert.Equal(FixStory.IngressPorts.Length, claims.Count);
        Assert.All(claims, claim => Assert.Equal(("live", StartingPod), (claim.GetProperty("state").GetString(), claim.GetProperty("podName").GetString())));
        Assert.DoesNotContain(json.RootElement.GetProperty("findings").EnumerateArray(), finding => finding.GetProperty("id").GetString() == "hostport-stale-claim");
    }

    /// <remarks>
    /// The pod's creation starts while `fix --apply` waits just before its transaction: after both plans (the first and
    /// the second look two seconds later), in the guard's read of the table (TableGuard). Both plans were made before the
    /// pod's rules existed, so neither names them, and the guard compares only what the plan deletes: with iptables the
    /// count of each planned jump in CNI-HOSTPORT-DNAT (its arguments byte for byte) and each planned CNI-DN- chain's
    /// rules; with nftables each planned handle's chain, comment and statements. portmap appends the new pod's jump and
    /// adds a chain of its own (iptables), or new rules under new handles (nft reuses no handle in a table): nothing
    /// planned changed. So the guard passes, always: the transaction runs and deletes exactly the old sandbox's rules,
    /// and the new pod's rules are untouched. An abort (exit 3) would mean the guard saw a change this story never makes.
    /// </remarks>
    [Theory]
    [MemberData(nameof(NodePartsData.All), MemberType = typeof(NodePartsData))]
    public async Task A_pod_created_between_plan_and_apply_keeps_its_rules(string parts)
    {
        var token = TestContext.Current.CancellationToken;
        await using var node = await NodePartsData.StartNodeAsync(parts, token);
        var (old, _) = await FixStory.StopAndStartAsync(node, token);
        // The guard reads the table the third time fix reads it: once per collection (the plan, the second look), then the guard.
        var (guardRead, transaction) = node.Parts.IsNftables
            ? (new ProgramPause("nft", "-j list table ip cni_hostport", 3), "nft -f -")
            : (new ProgramPause("iptables-legacy-save", "-c -t nat", 3), "iptables-legacy-restore --noflush");
        await using var wrappers = await ProgramWrappers.CreateAsync(node.PrivateDirectory, node.NodePath, FixStory.Programs, guardRead, token);

        // Long enough for the pod to be made while fix waits in its guard's read, which fix bounds by the collector timeout.
        var fix = FixAsync(node, ["--apply", "--collector.timeout=60s"], token, wrappers.Directory);
        HeldSandbox held;
        CommandResult applied;
        try
        {
            await wrappers.WaitUntilPausedAsync(fix, TimeSpan.FromMinutes(1), token);
            held = await node.StartHeldHostPortPodAsync("ingress", StartingPod, FixStory.IngressPorts, token);
            Assert.True(await node.HasPortmapRulesOfAsync(held.SandboxId, token), $"portmap's rules of the starting {held.SandboxId} are not there");
            wrappers.Resume();
            applied = await fix;
        }
        finally
        {
            // Whatever failed, fix is let go and awaited (its run is bounded), so nothing of it outlives the node.
            wrappers.Resume();
            await Task.WhenAny(fix);
        }
        var calls = wrappers.Calls();
        Report("fix --apply", applied);
        TestContext.Current.TestOutputHelper?.WriteLine("fix ran:\n" + string.Join('\n', calls));

        // It paused where it was meant to: the guard's read, right before the transaction.
        var paused = wrappers.PausedCall() ?? throw new InvalidOperationException("no call paused");
        Assert.Equal($"{guardRead.Program} {guardRead.Arguments}", calls[paused - 1]);
        Assert.True(calls.Count > paused && calls[paused].StartsWith(transaction, StringComparison.Ordinal), $"expected {transaction} right after the paused call {paused}:\n{string.Join('\n', calls)}");
        await AssertAppliedBesideTheStartingPodAsync(node, applied, old, held, token);

        var started = await held.ReleaseAsync(token);

        Assert.True(await node.HasPortmapRulesOfAsync(started.SandboxId, token), $"portmap's rules of {started.SandboxId} are gone after its creation");
    }

    private static Task<CommandResult> FixAsync(ContainerdNode node, string[] arguments, CancellationToken token, string? firstOnPath = null) =>
        node.RunAsync(ExporterProcess.BinaryPath, ["fix", .. arguments, .. FixStory.Flags(node)], timeout: TimeSpan.FromMinutes(3), cancellationToken: token, firstOnPath: firstOnPath);

    /// <summary>
    /// The table's transaction ran and deleted the old sandbox's rules, none of the starting pod's, and the current pod
    /// serves port 80; fix exits 1, not 0: the starting pod's claims are still behind the current pod's on 80 and 443, a
    /// duplicate that check reports and fix may not judge.
    /// </summary>
    private static async Task AssertAppliedBesideTheStartingPodAsync(ContainerdNode node, CommandResult applied, HostPortPod old, HeldSandbox held, CancellationToken token)
    {
        Assert.True(applied.ExitCode == 1, applied.StandardOutput + applied.StandardError);
        Assert.DoesNotContain("ABORTED", applied.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"  {FixStory.Table(node)}: applied\n", applied.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\nFindings left: hostport-dnat-duplicate. ", applied.StandardOutput, StringComparison.Ordinal);
        Assert.Empty(DeletionsNaming(held.SandboxId, applied));
        Assert.False(await node.HasPortmapRulesOfAsync(old.SandboxId, token), $"portmap's rules of {old.SandboxId} are still there");
        Assert.True(await node.HasPortmapRulesOfAsync(held.SandboxId, token), $"portmap's rules of the starting {held.SandboxId} are gone:\n{applied.StandardOutput}{applied.StandardError}");
        Assert.Equal(new HostPortReply(HostPortOutcome.Answered, 200, "ingress/" + FixStory.CurrentPod), await node.GetHostPortAsync(80, ProbeTimeout, token));
    }

    private static void Report(string what, CommandResult fix) =>
        TestContext.Current.TestOutputHelper?.WriteLine($"{what} exited {fix.ExitCode}:\n{fix.StandardOutput}{fix.StandardError}");

    /// <summary>How fix names a claim's sandbox (ContainerIds.Short).</summary>
    private static string Short(string sandboxId) => sandboxId[..12];

    /// <summary>The plan's deletions (everything before "Left alone:"), and each left-alone entry: its claim line with its reason line.</summary>
    private static (string Planned, IReadOnlyList<string> LeftAlone) Sections(string plan)
    {
        var at = plan.IndexOf("\nLeft alone:\n", StringComparison.Ordinal);
        if (at < 0)
        {
            return (plan, []);
        }
        var lines = plan[(at + "\nLeft alone:\n".Length)..].Split('\n');
        var entries = new List<string>();
        foreach (var line in lines.TakeWhile(line => line.StartsWith("  ", StringComparison.Ordinal)))
        {
            if (line.StartsWith("    ", StringComparison.Ordinal) && entries.Count > 0)
            {
                entries[^1] += "\n" + line;
            }
            else
            {
                entries.Add(line);
            }
        }
        return (plan[..at], entries);
    }

    /// <summary>The lines of fix's change log and its verification that name <paramref name="sandboxId"/> as deleted.</summary>
    private static IReadOnlyList<string> DeletionsNaming(string sandboxId, CommandResult fix) =>
        fix.StandardError.Split('\n').Where(line => line.Contains(": deleted ", StringComparison.Ordinal))
            .Concat(fix.StandardOutput.Split('\n').Where(line => line.StartsWith("  gone ", StringComparison.Ordinal) || line.StartsWith("  LEFT ", StringComparison.Ordinal)))
            .Where(line => line.Contains(sandboxId, StringComparison.Ordinal) || line.Contains(ContainerdNode.PortmapChainOf(sandboxId), StringComparison.Ordinal))
            .ToList();

    /// <summary>portmap's rules as the node's backend holds them, without the counters that traffic changes.</summary>
    private static async Task<string> RulesAsync(ContainerdNode node, CancellationToken token) =>
        node.Parts.IsNftables
            ? await node.ListNftHostPortTableAsync(token)
            : string.Join('\n', (await node.SaveLegacyNatAsync(token)).Split('\n').Where(line => !line.StartsWith('#')).Select(line => line.StartsWith('[') ? line[(line.IndexOf(']') + 1)..] : line.Split(' ')[0].StartsWith(':') ? line.Split(' ')[0] : line));
}
