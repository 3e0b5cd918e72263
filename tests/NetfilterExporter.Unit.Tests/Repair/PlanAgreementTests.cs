using NetfilterExporter.Assessment;
using NetfilterExporter.Cri;
using NetfilterExporter.Repair;
using NetfilterExporter.TestSupport;

namespace NetfilterExporter.Unit.Tests.Repair;

/// <summary>A table is repaired only when a second look, a moment later, plans the same deletions for it.</summary>
public sealed class PlanAgreementTests
{
    [Fact]
    public async Task Two_equal_plans_keep_every_table()
    {
        var observation = await RepairExamples.AfterStopStartAsync();
        var first = RepairPlanner.Plan([observation], RepairExamples.Runtime, null, "node-a");

        var (agreed, disagreed) = PlanAgreement.Of(first, RepairPlanner.Plan([observation], RepairExamples.Runtime, null, "node-a"));

        Assert.Empty(disagreed);
        Assert.Equal(first.Tables, agreed.Tables);
    }

    /// <summary>The old sandbox was starting, not gone: a moment later the runtime lists it ready, so nothing of its table is applied.</summary>
    [Fact]
    public async Task A_sandbox_ready_at_the_second_look_aborts_its_table_with_nothing_applied()
    {
        var observation = await RepairExamples.AfterStopStartAsync();
        var first = RepairPlanner.Plan([observation], RepairExamples.Runtime, null, "node-a");
        var bothReady = SandboxJoin.Of(RepairExamples.Listing(
            new Sandbox(ExampleSandboxes.OldIngress, "ingress", "nginx-ingress-microk8s-controller-4tq8z", true),
            new Sandbox(ExampleSandboxes.NewIngress, "ingress", "nginx-ingress-microk8s-controller-9xk2d", true)));

        var (agreed, disagreed) = PlanAgreement.Of(first, RepairPlanner.Plan([observation], bothReady, null, "node-a"));

        Assert.NotEmpty(first.Tables);
        Assert.Empty(agreed.Tables);
        var aborted = Assert.Single(disagreed);
        Assert.Equal(RepairStatus.Aborted, aborted.Status);
        Assert.StartsWith("a second look a moment later planned nothing for this table", Assert.Single(aborted.Changes), StringComparison.Ordinal);
    }
}
