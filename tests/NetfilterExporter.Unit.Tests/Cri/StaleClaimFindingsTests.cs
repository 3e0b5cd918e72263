using NetfilterExporter.Assessment;
using NetfilterExporter.Cri;
using NetfilterExporter.Findings;
using NetfilterExporter.HostPorts;
using NetfilterExporter.Iptables;

namespace NetfilterExporter.Unit.Tests.Cri;

public sealed class StaleClaimFindingsTests
{
    private static readonly FixStep Upgrade = MicroK8sUpgrade.For(null);

    private static readonly RuleSource LegacyIpv4 = new(IptablesBackend.Legacy, IpFamily.IPv4);

    [Fact]
    public async Task A_lone_stale_claim_is_critical_names_the_sandbox_and_deletes_exactly_its_jump_and_chain()
    {
        var healthy = await ObserveAsync("healthy.legacy-ipv4.txt");
        var runtimeWithoutIt = SandboxJoin.Of(new PodSandboxes([]));

        var finding = Assert.Single(HostPortFindings.Detect(healthy, runtimeWithoutIt, Upgrade));

        Assert.Equal(StaleClaimFindings.Id, finding.Id);
        Assert.Equal(FindingSeverity.Critical, finding.Severity);
        Assert.Contains("sandbox d6437fe2be05", finding.Summary, StringComparison.Ordinal);
        Assert.Contains("served now by no running pod: the port is black-holed", finding.Details[0], StringComparison.Ordinal);
        Assert.DoesNotContain("first confirm", string.Join("\n", finding.Fixes.Select(fix => fix.Description)), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(
        [
            "sudo iptables-legacy -t nat -D CNI-HOSTPORT-DNAT -p tcp -m comment --comment 'dnat name: \"k8s-pod-network\" id: \"d6437fe2be059268620ea6ecf9cbaa70fbce445e1a5358c974ceda661f4fda92\"' -m multiport --dports 80,443 -j CNI-DN-e51e97c8bd8bb557017af",
            "sudo iptables-legacy -t nat -F CNI-DN-e51e97c8bd8bb557017af",
            "sudo iptables-legacy -t nat -X CNI-DN-e51e97c8bd8bb557017af",
        ], finding.Fixes[1].Commands);
        // The runtime confirmed it, so `fix` can do it: offered first, the same deletes by hand second.
        Assert.Same(ExporterFix.Step, finding.Fixes[0]);
    }

    [Fact]
    public async Task A_stale_winner_names_the_stopped_pod_and_the_live_pod_that_takes_over()
    {
        var findings = HostPortFindings.Detect(await ObserveAsync("after-stop-start.legacy-ipv4.txt"), SandboxJoin.Of(ExampleSandboxes.AfterStopStart()), Upgrade).ToList();

        var stale = Assert.Single(findings, finding => finding.Id == StaleClaimFindings.Id);
        Assert.Equal(FindingSeverity.Critical, stale.Severity);
        Assert.Contains("pod ingress/nginx-ingress-microk8s-controller-4tq8z", stale.Summary, StringComparison.Ordinal);
        Assert.Contains("pod ingress/nginx-ingress-microk8s-controller-9xk2d (sandbox d6437fe2be05) -> 10.1.254.72:80 takes over", string.Join("\n", stale.Details), StringComparison.Ordinal);
        Assert.All(stale.Fixes[1].Commands, command => Assert.DoesNotContain("d6437fe2", command, StringComparison.Ordinal));
        Assert.Contains("sudo iptables-legacy -t nat -X CNI-DN-5649e0ce7bb9710670939", stale.Fixes[1].Commands);

        // The duplicate finding takes the runtime's word too: no "first confirm" step, and the same deletes.
        var duplicate = Assert.Single(findings, finding => finding.Id == HostPortFindings.DuplicateId);
        Assert.Same(ExporterFix.Step, duplicate.Fixes[0]);
        Assert.Equal(stale.Fixes[1].Commands, duplicate.Fixes[1].Commands);
        Assert.DoesNotContain("first confirm", duplicate.Fixes[1].Description, StringComparison.Ordinal);
        Assert.Contains("[stale, pod ingress/nginx-ingress-microk8s-controller-4tq8z]", string.Join("\n", duplicate.Details), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stale_claim_behind_a_live_winner_is_a_warning()
    {
        // The old pod still runs and the new sandbox is gone: the stale claim is shadowed and traffic is served.
        var sandboxes = SandboxJoin.Of(new PodSandboxes([new Sandbox(ExampleSandboxes.OldIngress, "ingress", "old", true)]));

        var stale = Assert.Single(HostPortFindings.Detect(await ObserveAsync("after-stop-start.legacy-ipv4.txt"), sandboxes, Upgrade), finding => finding.Id == StaleClaimFindings.Id);

        Assert.Equal(FindingSeverity.Warning, stale.Severity);
        Assert.Contains("served now by pod ingress/old", stale.Details[0], StringComparison.Ordinal);
        Assert.Contains("sudo iptables-legacy -t nat -X CNI-DN-e51e97c8bd8bb557017af", stale.Fixes[1].Commands);
    }

    [Fact]
    public async Task Live_or_unknown_claims_give_no_stale_finding_and_unknown_keeps_the_confirm_step()
    {
        var live = SandboxJoin.Of(new PodSandboxes([new Sandbox(ExampleSandboxes.NewIngress, "ingress", "web", true)]));
        Assert.Empty(HostPortFindings.Detect(await ObserveAsync("healthy.legacy-ipv4.txt"), live, Upgrade));

        var findings = HostPortFindings.Detect(await ObserveAsync("after-stop-start.legacy-ipv4.txt"), SandboxJoin.None, Upgrade).ToList();
        Assert.DoesNotContain(findings, finding => finding.Id == StaleClaimFindings.Id);
        var duplicate = Assert.Single(findings, finding => finding.Id == HostPortFindings.DuplicateId);
        Assert.StartsWith("Surgical, keeps running pods: first confirm", duplicate.Fixes[0].Description, StringComparison.Ordinal);
        // `fix` plans nothing for a claim no runtime judged, so it is not offered.
        Assert.DoesNotContain(ExporterFix.Step, duplicate.Fixes);
    }

    /// <summary>The MicroK8s build read on the node gives the upgrade its track; without one the placeholder says what to fill in.</summary>
    [Theory]
    [InlineData("v1.32.2", "sudo snap refresh microk8s --channel=1.32/stable")]
    [InlineData(null, "sudo snap refresh microk8s --channel=<your track>/stable")]
    public async Task The_prevention_step_names_the_nodes_own_track_when_its_build_is_known(string? version, string command)
    {
        var report = new HostPortsReport([await ObserveAsync("after-stop-start.legacy-ipv4.txt")], SandboxJoin.Of(ExampleSandboxes.AfterStopStart()), version);

        Assert.Equal(2, report.Findings.Count);
        Assert.All(report.Findings, finding =>
            Assert.Equal([command], Assert.Single(finding.Fixes, fix => fix.Kind == FixKind.Prevention).Commands));
    }

    private static async Task<HostPortObservation> ObserveAsync(string example) =>
        new(LegacyIpv4, HostPortAnalyzer.Analyze(await Dumps.ParseAsync(Dumps.Example(example))));
}
