using Prometheus;

namespace NetfilterExporter.MicroK8s;

/// <summary>The netfilter_microk8s_* families of one <see cref="MicroK8sBuild"/> (docs/contract.md §1).</summary>
public static class MicroK8sMetrics
{
    public static void Write(MicroK8sBuild build, IMetricFactory metrics)
    {
        metrics.CreateGauge("netfilter_microk8s_info",
                "The MicroK8s build under --path.rootfs: its snap version, revision and confinement (absent without MicroK8s).",
                ["version", "revision", "confinement"])
            .WithLabels(build.Version, build.Revision, build.Confinement).Set(1);
        metrics.CreateGauge("netfilter_microk8s_stop_leaves_stale_rules",
                "1 when this build's microk8s stop deletes containers behind CNI and does not flush CNI-HOSTPORT-DNAT as root, or portmap writes nftables: the next stop/start black-holes the hostPorts.")
            .Set(build.StopLeavesStaleRules ? 1 : 0);
    }
}
