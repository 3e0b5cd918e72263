using NetfilterExporter.Assessment;
using NetfilterExporter.Collection;
using NetfilterExporter.Cri;
using NetfilterExporter.HostPorts;
using NetfilterExporter.Iptables;

namespace NetfilterExporter.Unit.Tests.Cri;

/// <summary>The guard against the non-atomic read: a claim not live in the first list is decided by a second one.</summary>
public sealed class PodSandboxesTests
{
    [Fact]
    public async Task Every_claim_live_in_the_first_list_needs_no_second_list()
    {
        var runtime = new ScriptedRuntime((_, _) => Task.FromResult(new PodSandboxes([])));
        var first = new PodSandboxes([new Sandbox(ExampleSandboxes.NewIngress, "ingress", "web", true)]);

        var settled = await new RuntimeSecondLook().SettleAsync(runtime, first, [await ObserveAsync("healthy.legacy-ipv4.txt")], TestContext.Current.CancellationToken);

        Assert.Same(first, settled);
        Assert.Equal(0, runtime.Asked);
    }

    [Fact]
    public async Task A_claim_whose_cut_id_names_one_ready_sandbox_needs_no_second_list()
    {
        // portmap cuts comments at 255 characters: a long network name can leave only a prefix of the id.
        var cut = Dumps.Example("healthy.legacy-ipv4.txt").Replace(ExampleSandboxes.NewIngress, ExampleSandboxes.NewIngress[..10], StringComparison.Ordinal);
        var observation = new HostPortObservation(new RuleSource(IptablesBackend.Legacy, IpFamily.IPv4), HostPortAnalyzer.Analyze(await Dumps.ParseAsync(cut)));
        Assert.Equal(ExampleSandboxes.NewIngress[..10], observation.Report.Ports[0].Claims[0].ContainerId);
        var runtime = new ScriptedRuntime((_, _) => Task.FromResult(new PodSandboxes([])));
        var first = new PodSandboxes([new Sandbox(ExampleSandboxes.NewIngress, "ingress", "web", true)]);

        var settled = await new RuntimeSecondLook().SettleAsync(runtime, first, [observation], TestContext.Current.CancellationToken);

        Assert.Same(first, settled);
        Assert.Equal(0, runtime.Asked);
    }

    [Fact]
    public async Task A_sandbox_created_after_the_first_list_is_found_by_the_second_and_the_second_list_decides()
    {
        int? unconfirmed = null;
        var created = new PodSandboxes([new Sandbox(ExampleSandboxes.NewIngress, "ingress", "web", true)]);
        var runtime = new ScriptedRuntime((count, _) =>
        {
            unconfirmed = count;
            return Task.FromResult(created);
        });
        var first = new PodSandboxes([]);

        var settled = (PodSandboxes)await new RuntimeSecondLook().SettleAsync(runtime, first, [await ObserveAsync("healthy.legacy-ipv4.txt")], TestContext.Current.CancellationToken);

        Assert.NotSame(first, settled);
        Assert.Equal(2, unconfirmed); // ports 80 and 443 of the one sandbox
        Assert.True(settled.Find(ExampleSandboxes.NewIngress)!.Ready);
    }

    [Fact]
    public async Task A_sandbox_ready_in_the_first_list_stays_live_when_it_stops_before_the_second()
    {
        // The old claim's sandbox was ready when listed and dumped, then stopped: live for this collection, not stale.
        var first = new PodSandboxes([new Sandbox(ExampleSandboxes.OldIngress, "ingress", "old", true)]);
        var runtime = new ScriptedRuntime((_, _) =>
            Task.FromResult(new PodSandboxes([new Sandbox(ExampleSandboxes.OldIngress, "ingress", "old", false)])));

        var settled = (PodSandboxes)await new RuntimeSecondLook().SettleAsync(runtime, first, [await ObserveAsync("after-stop-start.legacy-ipv4.txt")], TestContext.Current.CancellationToken);

        Assert.True(settled.Find(ExampleSandboxes.OldIngress)!.Ready);
        Assert.Null(settled.Find(ExampleSandboxes.NewIngress));
        Assert.True(settled.Confirmed);
    }

    [Fact]
    public async Task When_the_deadline_leaves_no_time_for_the_second_list_nothing_is_called_stale()
    {
        using var spent = new CancellationTokenSource();
        await spent.CancelAsync();
        var first = new PodSandboxes([new Sandbox(ExampleSandboxes.OldIngress, "ingress", "old", true)]);
        var runtime = new ScriptedRuntime((_, token) => Task.FromCanceled<PodSandboxes>(token));
        var observation = await ObserveAsync("after-stop-start.legacy-ipv4.txt");

        var settled = (PodSandboxes)await new RuntimeSecondLook().SettleAsync(runtime, first, [observation], spent.Token);

        Assert.False(settled.Confirmed);
        var join = SandboxJoin.Of(settled);
        var claims = ((HostPortObservation)observation).Report.Ports[0].Claims;
        Assert.Equal(ClaimState.Live, join.Of(claims[0]).State);
        Assert.Equal(ClaimState.Unknown, join.Of(claims[1]).State);
    }

    [Fact]
    public async Task A_claim_no_list_holds_but_containerds_stores_hold_is_a_pod_being_created_and_unknown()
    {
        // containerd runs portmap before CRI lists the new sandbox: the old claim's id here stands for a starting pod.
        IReadOnlyCollection<string>? asked = null;
        var listed = new PodSandboxes([new Sandbox(ExampleSandboxes.NewIngress, "ingress", "web", true)]);
        var runtime = new ScriptedRuntime((_, _) => Task.FromResult(listed), (ids, _) =>
        {
            asked = ids;
            return Task.FromResult<IReadOnlySet<string>?>(new HashSet<string> { ExampleSandboxes.OldIngress });
        });
        var observation = (HostPortObservation)await ObserveAsync("after-stop-start.legacy-ipv4.txt");

        var settled = (PodSandboxes)await new RuntimeSecondLook().SettleAsync(runtime, listed, [observation], TestContext.Current.CancellationToken);

        Assert.Equal([ExampleSandboxes.OldIngress], asked);
        Assert.Equal(SandboxLookup.BeingCreated, settled.Lookup(ExampleSandboxes.OldIngress).Result);
        var join = SandboxJoin.Of(settled);
        var starting = observation.Report.Ports[0].Claims.Single(claim => claim.ContainerId == ExampleSandboxes.OldIngress);
        Assert.Equal(ClaimState.Unknown, join.Of(starting).State);
        Assert.True(join.Of(starting).BeingCreated);
        Assert.Equal($"sandbox {ContainerIds.Short(ExampleSandboxes.OldIngress)}, being created", join.Describe(starting));
        // The counts are CRI's list: a sandbox being created is in neither.
        Assert.Equal((1, 0), (settled.Ready, settled.NotReady));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_claim_no_list_and_no_store_holds_is_stale_and_so_without_containerds_stores(bool notContainerd)
    {
        var listed = new PodSandboxes([new Sandbox(ExampleSandboxes.NewIngress, "ingress", "web", true)]);
        var runtime = new ScriptedRuntime((_, _) => Task.FromResult(listed), (_, _) =>
            Task.FromResult<IReadOnlySet<string>?>(notContainerd ? null : new HashSet<string>()));
        var observation = (HostPortObservation)await ObserveAsync("after-stop-start.legacy-ipv4.txt");

        var settled = (PodSandboxes)await new RuntimeSecondLook().SettleAsync(runtime, listed, [observation], TestContext.Current.CancellationToken);

        var gone = observation.Report.Ports[0].Claims.Single(claim => claim.ContainerId == ExampleSandboxes.OldIngress);
        Assert.Equal(ClaimState.Stale, SandboxJoin.Of(settled).Of(gone).State);
        Assert.Equal(1, runtime.StoresAsked);
    }

    [Fact]
    public async Task A_deadline_while_the_stores_are_asked_keeps_the_second_list_and_calls_nothing_stale()
    {
        using var deadline = new CancellationTokenSource();
        var second = new PodSandboxes([new Sandbox(ExampleSandboxes.NewIngress, "ingress", "web", true)]);
        var runtime = new ScriptedRuntime((_, _) => Task.FromResult(second), async (_, token) =>
        {
            await deadline.CancelAsync();
            token.ThrowIfCancellationRequested();
            return null;
        });
        var observation = (HostPortObservation)await ObserveAsync("after-stop-start.legacy-ipv4.txt");

        var settled = (PodSandboxes)await new RuntimeSecondLook().SettleAsync(runtime, new PodSandboxes([]), [observation], deadline.Token);

        Assert.False(settled.Confirmed);
        var join = SandboxJoin.Of(settled);
        var claims = observation.Report.Ports[0].Claims;
        Assert.Equal(ClaimState.Live, join.Of(claims.Single(claim => claim.ContainerId == ExampleSandboxes.NewIngress)).State);
        Assert.Equal(ClaimState.Unknown, join.Of(claims.Single(claim => claim.ContainerId == ExampleSandboxes.OldIngress)).State);
    }

    [Fact]
    public async Task Containerds_stores_are_not_asked_about_a_sandbox_the_list_holds_not_ready()
    {
        var runtime = new ScriptedRuntime((_, _) => Task.FromResult(ExampleSandboxes.AfterStopStart()));

        var settled = (PodSandboxes)await new RuntimeSecondLook().SettleAsync(
            runtime, ExampleSandboxes.AfterStopStart(), [await ObserveAsync("after-stop-start.legacy-ipv4.txt")], TestContext.Current.CancellationToken);

        Assert.Equal((1, 0), (runtime.Asked, runtime.StoresAsked));
        Assert.False(settled.Find(ExampleSandboxes.OldIngress)!.Ready);
    }

    [Fact]
    public void Counts_ready_and_not_ready_sandboxes()
    {
        var sandboxes = ExampleSandboxes.AfterStopStart();

        Assert.Equal(2, sandboxes.Ready);
        Assert.Equal(1, sandboxes.NotReady);
    }

    private static async Task<ICollectorResult> ObserveAsync(string example) =>
        new HostPortObservation(new RuleSource(IptablesBackend.Legacy, IpFamily.IPv4), HostPortAnalyzer.Analyze(await Dumps.ParseAsync(Dumps.Example(example))));

    /// <summary>A runtime whose second list and stores answer whatever the test says; it counts how often each was asked.</summary>
    private sealed class ScriptedRuntime(
        Func<int, CancellationToken, Task<PodSandboxes>> listAgain,
        Func<IReadOnlyCollection<string>, CancellationToken, Task<IReadOnlySet<string>?>>? stores = null) : ICollector, ISandboxRelister
    {
        public int Asked { get; private set; }

        public int StoresAsked { get; private set; }

        public string Name => CriCollector.CollectorName;

        public string Reads => "a scripted runtime";

        public Task<ICollectorResult> CollectAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("only the second list is scripted");

        public Task<PodSandboxes> ListAgainAsync(int unconfirmed, CancellationToken cancellationToken)
        {
            Asked++;
            return listAgain(unconfirmed, cancellationToken);
        }

        public Task<IReadOnlySet<string>?> BeingCreatedAsync(IReadOnlyCollection<string> notListed, CancellationToken cancellationToken)
        {
            StoresAsked++;
            // Unscripted, the runtime is not containerd: its stores can say nothing.
            return stores is null ? Task.FromResult<IReadOnlySet<string>?>(null) : stores(notListed, cancellationToken);
        }
    }
}
