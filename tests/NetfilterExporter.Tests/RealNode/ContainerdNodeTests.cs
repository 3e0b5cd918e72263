using NetfilterExporter.TestSupport;
using NetfilterExporter.TestSupport.Cri;

namespace NetfilterExporter.Tests.RealNode;

/// <summary>
/// The real-node harness on its own, before any exporter, on each set of parts (<see cref="NodeParts"/>): real
/// containerd (CRI), runc and the CNI bridge, host-local and portmap plugins make hostPort pods and their rules
/// (legacy iptables, or portmap's nftables table), MicroK8s' stop is replayed,
/// and real connections from the node show what a client gets. These are the states the exporter's real-node tests
/// build on, so they are proven here first.
/// </summary>
[Collection(RealNodeCollection.Name)]
public sealed class ContainerdNodeTests
{
    /// <summary>Long enough for a healthy answer on a loaded 2-core machine; a broken port is judged by what came back, not by time.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    private static readonly (int HostPort, int ContainerPort)[] WebPorts = [(80, 8080), (443, 8443)];

    [Theory]
    [MemberData(nameof(NodePartsData.All), MemberType = typeof(NodePartsData))]
    public async Task A_host_port_pod_answers_through_its_host_ports_from_the_node(string parts)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var node = await NodePartsData.StartNodeAsync(parts, cancellationToken);

        var pod = await node.RunHostPortPodAsync("default", "web", WebPorts, cancellationToken);

        foreach (var port in new[] { 80, 443 })
        {
            var reply = await node.GetHostPortAsync(port, ProbeTimeout, cancellationToken);
            Assert.Equal(new HostPortReply(HostPortOutcome.Answered, 200, "default/web"), reply);
        }
        if (node.Parts.IsNftables)
        {
            // portmap's own table, one rule per port in the shared chain hostports, commented with the bare id; no counters.
            var nft = SavedNftHostPortRules.Parse(await node.ListNftHostPortTableAsync(cancellationToken));
            Assert.Equal([(80, $"{pod.PodIp}:8080"), (443, $"{pod.PodIp}:8443")], nft.DnatRules.Select(r => (r.Port, r.Destination)));
            Assert.All(nft.DnatRules, rule => Assert.Equal(pod.SandboxId, rule.SandboxId));
            Assert.Contains(nft.Commented, rule => rule.Chain == "masquerading" && rule.Comment == pod.SandboxId);
            Assert.Empty(SavedHostPortRules.Parse(await node.SaveLegacyNatAsync(cancellationToken)).Jumps);
        }
        else
        {
            var rules = SavedHostPortRules.Parse(await node.SaveLegacyNatAsync(cancellationToken));
            var jump = Assert.Single(rules.Jumps);
            Assert.Equal(pod.SandboxId, jump.SandboxId);
            Assert.Equal([80, 443], jump.Ports);
            Assert.Equal(ContainerdNode.PortmapChainOf(pod.SandboxId), jump.Chain);
            Assert.Equal($"{pod.PodIp}:8080", rules.DnatFor(pod.SandboxId, 80).Destination);
            Assert.Equal($"{pod.PodIp}:8443", rules.DnatFor(pod.SandboxId, 443).Destination);
            Assert.Equal(1, rules.DnatFor(pod.SandboxId, 80).Packets);
        }
        var listed = Assert.Single((await ListAsync(node, cancellationToken)).Items);
        Assert.Equal((pod.SandboxId, PodSandboxState.SandboxReady, "default", "web"), (listed.Id, listed.State, listed.Metadata.Namespace, listed.Metadata.Name));
    }

    [Theory]
    [MemberData(nameof(NodePartsData.All), MemberType = typeof(NodePartsData))]
    public async Task After_MicroK8s_stop_and_start_the_old_sandboxes_rule_wins_and_the_new_pod_is_not_reached(string parts)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var node = await NodePartsData.StartNodeAsync(parts, cancellationToken);
        var old = await node.RunHostPortPodAsync("default", "web", WebPorts, cancellationToken);
        Assert.Equal(HostPortOutcome.Answered, (await node.GetHostPortAsync(80, ProbeTimeout, cancellationToken)).Outcome);

        await node.ReplayMicroK8sStopAsync(cancellationToken);
        await node.StartContainerdAsync(cancellationToken);
        // The kubelet recreates the pod: same pod, new sandbox, same host ports, and its workload is listening.
        var current = await node.RunHostPortPodAsync("default", "web", WebPorts, cancellationToken);
        var before = await node.HostPortClaimsAsync(80, cancellationToken);
        var reply = await node.GetHostPortAsync(80, ProbeTimeout, cancellationToken);
        var after = await node.HostPortClaimsAsync(80, cancellationToken);

        AssertStaleWinner(reply, old);
        Assert.Equal([old.SandboxId, current.SandboxId], after.Select(c => c.SandboxId));
        Assert.Equal([old.SandboxId, current.SandboxId], (await node.HostPortClaimsAsync(443, cancellationToken)).Select(c => c.SandboxId));
        Assert.Equal([$"{old.PodIp}:8080", $"{current.PodIp}:8080"], after.Select(c => c.Destination));
        if (node.Parts.IsNftables)
        {
            Assert.All(after, claim => Assert.Null(claim.Packets));
        }
        else
        {
            Assert.Equal(before[0].Packets + 1, after[0].Packets);
            Assert.Equal(0, after[1].Packets);
        }
        Assert.NotEqual(old.PodIp, current.PodIp);
        await AssertListedAfterTheReplayAsync(node, old, current, cancellationToken);

        // Only the stale claim is in the way: without its rules the current pod answers.
        if (node.Parts.IsNftables)
        {
            var nft = SavedNftHostPortRules.Parse(await node.ListNftHostPortTableAsync(cancellationToken));
            foreach (var port in new[] { 80, 443 })
            {
                var handle = nft.DnatFor(old.SandboxId, port).Handle.ToString(System.Globalization.CultureInfo.InvariantCulture);
                (await node.RunAsync("nft", ["delete", "rule", "ip", "cni_hostport", "hostports", "handle", handle], cancellationToken: cancellationToken)).EnsureSuccess("nft delete rule " + handle);
            }
        }
        else
        {
            var staleChain = SavedHostPortRules.Parse(await node.SaveLegacyNatAsync(cancellationToken)).JumpsFor(80)[0].Chain;
            string[][] fix = [["-D", "CNI-HOSTPORT-DNAT", "1"], ["-F", staleChain], ["-X", staleChain]];
            foreach (var command in fix)
            {
                (await node.RunAsync("iptables-legacy", ["-t", "nat", .. command], cancellationToken: cancellationToken)).EnsureSuccess(string.Join(' ', command));
            }
        }
        Assert.Equal(new HostPortReply(HostPortOutcome.Answered, 200, "default/web"), await node.GetHostPortAsync(80, ProbeTimeout, cancellationToken));
    }

    [Theory]
    [MemberData(nameof(NodePartsData.All), MemberType = typeof(NodePartsData))]
    public async Task After_MicroK8s_stop_and_start_without_a_new_pod_the_lone_stale_claim_keeps_the_port(string parts)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var node = await NodePartsData.StartNodeAsync(parts, cancellationToken);
        var old = await node.RunHostPortPodAsync("default", "web", WebPorts, cancellationToken);

        await node.ReplayMicroK8sStopAsync(cancellationToken);
        await node.StartContainerdAsync(cancellationToken);
        var reply = await node.GetHostPortAsync(80, ProbeTimeout, cancellationToken);
        var claims = await node.HostPortClaimsAsync(80, cancellationToken);

        AssertStaleWinner(reply, old);
        var claim = Assert.Single(claims);
        Assert.Equal(old.SandboxId, claim.SandboxId);
        Assert.Equal(node.Parts.IsNftables ? null : 1, claim.Packets);
        await AssertListedAfterTheReplayAsync(node, old, null, cancellationToken);
    }

    [Theory]
    [MemberData(nameof(NodePartsData.All), MemberType = typeof(NodePartsData))]
    public async Task Dispose_after_stop_and_start_leaves_nothing_on_the_machine(string parts)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var node = await NodePartsData.StartNodeAsync(parts, cancellationToken);
        Footprint footprint;
        try
        {
            var old = await node.RunHostPortPodAsync("default", "web", WebPorts, cancellationToken);
            await node.ReplayMicroK8sStopAsync(cancellationToken);
            await node.StartContainerdAsync(cancellationToken);
            var current = await node.RunHostPortPodAsync("default", "web", WebPorts, cancellationToken);
            footprint = Footprint.Of(node, [old.SandboxId, current.SandboxId]);
            // The replay's leaks are real: the old pod's netns mount is still there for dispose to remove.
            Assert.Contains(old.NetworkNamespacePath, HostScan.MountsUnder(node.PrivateDirectory));
            Assert.NotEmpty(footprint.Processes);
        }
        finally
        {
            await node.DisposeAsync();
        }

        footprint.AssertGone(node);
    }

    [Theory]
    [MemberData(nameof(NodePartsData.All), MemberType = typeof(NodePartsData))]
    public async Task Dispose_with_containerd_stopped_under_running_pods_leaves_nothing_on_the_machine(string parts)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var node = await NodePartsData.StartNodeAsync(parts, cancellationToken);
        Footprint footprint;
        try
        {
            var first = await node.RunHostPortPodAsync("default", "web", WebPorts, cancellationToken);
            var second = await node.RunHostPortPodAsync("kube-system", "dns", [(53, 53)], cancellationToken);
            footprint = Footprint.Of(node, [first.SandboxId, second.SandboxId]);
            // containerd gone, shims and pause processes left running: only PIDs, runc and /proc can clean this up.
            var containerd = node.ContainerdProcessId;
            await node.StopContainerdAsync(cancellationToken);
            Assert.Null(node.ContainerdProcessId);
            var survivors = footprint.Processes.Where(p => p != containerd).ToList();
            Assert.Equal(4, survivors.Count);
            Assert.All(survivors, p => Assert.True(HostScan.IsAlive(p), $"process {p} should outlive containerd"));
        }
        finally
        {
            await node.DisposeAsync();
        }

        footprint.AssertGone(node);
    }

    /// <summary>
    /// containerd runs the CNI chain before it adds a sandbox to CRI's store: while a pod's creation is held in the
    /// hold plugin (after portmap), its host port rules are there and ListPodSandbox does not list it. Released, it is
    /// listed ready and its pod answers on the host port.
    /// </summary>
    [Theory]
    [MemberData(nameof(NodePartsData.All), MemberType = typeof(NodePartsData))]
    public async Task A_held_creation_has_its_host_port_rules_before_the_runtime_lists_its_sandbox(string parts)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var node = await NodePartsData.StartNodeAsync(parts, cancellationToken);

        var held = await node.StartHeldHostPortPodAsync("default", "web", WebPorts, cancellationToken);

        Assert.True(await node.HasPortmapRulesOfAsync(held.SandboxId, cancellationToken), $"portmap's rules of the held {held.SandboxId} are not there");
        foreach (var (hostPort, _) in WebPorts)
        {
            Assert.Equal([held.SandboxId], (await node.HostPortClaimsAsync(hostPort, cancellationToken)).Select(claim => claim.SandboxId));
        }
        Assert.DoesNotContain(held.SandboxId, (await ListAsync(node, cancellationToken)).Items.Select(s => s.Id));

        var pod = await held.ReleaseAsync(cancellationToken);

        Assert.Equal(held.SandboxId, pod.SandboxId);
        var listed = Assert.Single((await ListAsync(node, cancellationToken)).Items);
        Assert.Equal((held.SandboxId, PodSandboxState.SandboxReady), (listed.Id, listed.State));
        Assert.Equal(new HostPortReply(HostPortOutcome.Answered, 200, "default/web"), await node.GetHostPortAsync(80, ProbeTimeout, cancellationToken));
    }

    /// <summary>A test that fails while a creation is held still leaves nothing: dispose lets the creation finish first, then removes the sandbox.</summary>
    [Theory]
    [MemberData(nameof(NodePartsData.All), MemberType = typeof(NodePartsData))]
    public async Task Dispose_with_a_creation_held_leaves_nothing_on_the_machine(string parts)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var node = await NodePartsData.StartNodeAsync(parts, cancellationToken);
        string sandboxId;
        string plugin;
        try
        {
            var held = await node.StartHeldHostPortPodAsync("default", "web", WebPorts, cancellationToken);
            sandboxId = held.SandboxId;
            plugin = Path.Combine(node.CniBinDirectory, CniHoldPlugin.Type);
            Assert.NotEmpty(HostScan.ProcessesMentioning(plugin));
        }
        finally
        {
            await node.DisposeAsync();
        }

        Assert.Empty(node.FindLeftovers());
        Assert.Empty(HostScan.ProcessesMentioning(plugin));
        Assert.Empty(HostScan.ProcessesMentioning(node.SocketPath));
        Assert.False(File.Exists($"/var/lib/cni/results/k8s-pod-network-{sandboxId}-eth0"), "libcni's cached result of the held sandbox is still there");
        var cgroups = System.IO.Directory.EnumerateDirectories("/sys/fs/cgroup").Select(hierarchy => Path.Combine(hierarchy, "k8s.io", sandboxId)).Append($"/sys/fs/cgroup/k8s.io/{sandboxId}");
        Assert.All(cgroups, cgroup => Assert.False(System.IO.Directory.Exists(cgroup), cgroup + " is still there"));
    }

    /// <summary>
    /// The old pod's network namespace outlives the replay (its mount leaks) with its veth and address, so the
    /// stale DNAT sends the connection to a live address where nothing listens any more: the kernel there resets
    /// it. What matters for the exporter is the same either way: the host port does not reach the current pod.
    /// (Where the old namespace is gone, as with the plain CNI replay in real-node.md, it is a timeout instead.)
    /// </summary>
    private static void AssertStaleWinner(HostPortReply reply, HostPortPod old)
    {
        Assert.True(reply.Outcome == HostPortOutcome.Refused, $"expected the stale rule to send port 80 to {old.PodIp}, where nothing listens; got {reply}");
    }

    /// <summary>
    /// What ListPodSandbox says after the replay and containerd's restart: containerd 1.6 has forgotten the old
    /// sandbox; 2.x recovers it from its sandbox store as a NOTREADY ghost with its pod's metadata (reference/today.md).
    /// </summary>
    private static async Task AssertListedAfterTheReplayAsync(ContainerdNode node, HostPortPod old, HostPortPod? current, CancellationToken cancellationToken)
    {
        var listed = (await ListAsync(node, cancellationToken)).Items.Select(s => (s.Id, s.State)).ToHashSet();
        var expected = new HashSet<(string, PodSandboxState)>();
        if (current is not null)
        {
            expected.Add((current.SandboxId, PodSandboxState.SandboxReady));
        }
        if (node.Parts.KeepsGhostSandboxes)
        {
            expected.Add((old.SandboxId, PodSandboxState.SandboxNotready));
        }
        Assert.Equal(expected, listed);
    }

    private static async Task<ListPodSandboxResponse> ListAsync(ContainerdNode node, CancellationToken cancellationToken) =>
        await node.Cri.ListPodSandboxAsync(new ListPodSandboxRequest(), deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: cancellationToken);

    /// <summary>What a node put on the machine, recorded while it runs and checked after dispose without the node's own bookkeeping.</summary>
    private sealed record Footprint(string Directory, string SocketPath, string NamespaceName, IReadOnlyList<string> OutsidePaths, IReadOnlyList<int> Processes)
    {
        public static Footprint Of(ContainerdNode node, IReadOnlyList<string> sandboxIds)
        {
            var cgroups = System.IO.Directory.EnumerateDirectories("/sys/fs/cgroup")
                .Select(hierarchy => Path.Combine(hierarchy, "k8s.io"))
                .Append("/sys/fs/cgroup/k8s.io")
                .SelectMany(parent => sandboxIds.Select(id => Path.Combine(parent, id)))
                .Where(System.IO.Directory.Exists)
                .ToList();
            Assert.NotEmpty(cgroups);
            var cniResults = sandboxIds.Select(id => $"/var/lib/cni/results/k8s-pod-network-{id}-eth0").ToList();
            Assert.All(cniResults, path => Assert.True(File.Exists(path), path));
            // containerd, the shims, and the pause processes in the sandboxes' cgroups.
            var processes = HostScan.ProcessesMentioning(node.PrivateDirectory).Select(p => p.ProcessId)
                .Concat(cgroups.SelectMany(c => File.ReadAllLines(Path.Combine(c, "cgroup.procs"))).Select(line => int.Parse(line, System.Globalization.CultureInfo.InvariantCulture)))
                .Distinct()
                .ToList();
            // Without them, AssertGone's check that every process is gone would hold for any node.
            Assert.NotEmpty(processes);
            return new Footprint(node.PrivateDirectory, node.SocketPath, node.Namespace.Name, [.. cgroups, .. cniResults], processes);
        }

        public void AssertGone(ContainerdNode node)
        {
            Assert.Empty(node.FindLeftovers());
            Assert.All(Processes, p => Assert.False(HostScan.IsAlive(p), $"process {p} is still running"));
            Assert.Empty(HostScan.ProcessesMentioning(SocketPath));
            Assert.DoesNotContain(Directory, File.ReadAllText("/proc/self/mountinfo"), StringComparison.Ordinal);
            Assert.False(File.Exists("/run/netns/" + NamespaceName), "the node's network namespace is still there");
            Assert.False(System.IO.Directory.Exists(Directory), "the node's directory is still there");
            Assert.All(OutsidePaths, path => Assert.False(Path.Exists(path), path + " is still there"));
        }
    }
}
