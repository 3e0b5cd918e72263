using NetfilterExporter.Assessment;
using NetfilterExporter.Collection;
using NetfilterExporter.Conntrack;
using NetfilterExporter.Cri;
using NetfilterExporter.Host;
using NetfilterExporter.HostPorts;
using NetfilterExporter.Iptables;
using NetfilterExporter.MicroK8s;
using NetfilterExporter.Sources;
using NetfilterExporter.TestSupport;

namespace NetfilterExporter.Unit.Tests.Check;

/// <summary>
/// One node the golden files of `check` describe: MicroK8s' stop/start dump read from a file, a blacklisted
/// nf_conntrack on this machine, a runtime that lists the new pod, a MicroK8s build whose stop still leaves stale
/// rules (canonical/microk8s#4963 alone), and a failed nft save command.
/// </summary>
public static class KnownNode
{
    public static async Task<NodeAssessment> AssessAsync()
    {
        var table = HostPortAnalyzer.Analyze(await Dumps.ParseAsync(Dumps.Example("after-stop-start.legacy-ipv4.txt")));
        var node = Fixture.ConntrackNode("blacklist-line");
        var conntrack = await new ConntrackProbe(new HostPaths($"{node}/proc", $"{node}/sys", $"{node}/rootfs")).ProbeAsync(CancellationToken.None);
        var microK8s = await new MicroK8sProbe(RepositoryPaths.Combine("tests", "Fixtures", "microk8s", "4963", "rootfs")).ReadAsync(CancellationToken.None);
        return SourceTable.Assess(new NodeSnapshot(
            DateTimeOffset.UnixEpoch,
            [
                new CollectorOutcome("iptables_legacy_ipv4", true, TimeSpan.FromMilliseconds(12.5), null) { Source = "file examples/after-stop-start.legacy-ipv4.txt" },
                new CollectorOutcome("iptables_nft_ipv4", false, TimeSpan.FromMilliseconds(1), "iptables-nft-save not found (PATH); install iptables or set --iptables.save-command.nft-ipv4") { Source = "this machine: iptables-nft-save" },
                new CollectorOutcome(ConntrackCollector.CollectorName, true, TimeSpan.FromMilliseconds(0.25), null) { Source = "this machine: procfs /proc, sysfs /sys, rootfs /" },
                new CollectorOutcome(CriCollector.CollectorName, true, TimeSpan.FromMilliseconds(3), null) { Source = "this machine: /var/snap/microk8s/common/run/containerd.sock" },
                new CollectorOutcome(MicroK8sCollector.CollectorName, true, TimeSpan.FromMilliseconds(2), null) { Source = "this machine: /snap/microk8s/current" },
            ],
            [new HostPortObservation(new RuleSource(IptablesBackend.Legacy, IpFamily.IPv4), table), conntrack, ExampleSandboxes.AfterStopStart(), microK8s],
            Node: "gpu-worker-1"));
    }
}
