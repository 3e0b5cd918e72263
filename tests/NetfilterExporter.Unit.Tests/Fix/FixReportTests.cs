using NetfilterExporter.Fix;
using NetfilterExporter.Repair;
using NetfilterExporter.TestSupport;
using NetfilterExporter.Unit.Tests.Check;

namespace NetfilterExporter.Unit.Tests.Fix;

/// <summary>What `fix` prints before it changes anything, for the node the golden files of `check` describe.</summary>
public sealed class FixReportTests
{
    [Fact]
    public async Task The_plan_of_a_known_node_matches_the_golden_file()
    {
        var plan = RepairPlanner.Plan(await KnownNode.AssessAsync());

        await GoldenFile.AssertMatchesAsync("fix-after-stop-start.txt", FixReport.Plan(plan));
    }

    [Fact]
    public async Task The_plan_names_each_deletion_with_its_sandbox_and_leaves_the_live_pod_alone_saying_why()
    {
        var text = FixReport.Plan(RepairPlanner.Plan(await KnownNode.AssessAsync()));

        Assert.Contains("\nRepair the legacy/ipv4 nat table in one transaction (iptables-legacy-restore --noflush --wait=5):\n", text, StringComparison.Ordinal);
        Assert.Contains($"    sandbox {ExampleSandboxes.OldIngress}, pod ingress/nginx-ingress-microk8s-controller-4tq8z (hostport-stale-claim)\n", text, StringComparison.Ordinal);
        var leftAlone = text[text.IndexOf("\nLeft alone:\n", StringComparison.Ordinal)..];
        Assert.Contains(ExampleSandboxes.NewIngress[..12], leftAlone, StringComparison.Ordinal);
        Assert.DoesNotContain($"delete jump CNI-HOSTPORT-DNAT -p tcp -m comment --comment \"dnat name: \\\"k8s-pod-network\\\" id: \\\"{ExampleSandboxes.NewIngress}", text, StringComparison.Ordinal);
    }
}
