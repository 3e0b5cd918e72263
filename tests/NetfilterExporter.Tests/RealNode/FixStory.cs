using NetfilterExporter.TestSupport;

namespace NetfilterExporter.Tests.RealNode;

/// <summary>
/// What the fix stories share: MicroK8s' stop/start replayed on a real node (the old ingress pod's claims stale and
/// first, the current pod's behind them on 80 and 443), the flags fix runs with, and the programs it runs from PATH.
/// </summary>
internal static class FixStory
{
    public const string OldPod = "nginx-ingress-microk8s-controller-4tq8z";
    public const string CurrentPod = "nginx-ingress-microk8s-controller-9xk2d";

    public static readonly (int HostPort, int ContainerPort)[] IngressPorts = [(80, 8080), (443, 8443)];

    /// <summary>Every program `fix` may run from PATH with <see cref="Flags"/> (the tables' save and restore commands, nft, modprobe), for wrappers that record or pause them.</summary>
    public static readonly string[] Programs =
        ["iptables-legacy-save", "iptables-legacy-restore", "ip6tables-legacy-save", "ip6tables-legacy-restore", "nft", "modprobe"];

    /// <summary>Runs the old pod, replays MicroK8s' stop, starts containerd again and runs the current pod.</summary>
    public static async Task<(HostPortPod Old, HostPortPod Current)> StopAndStartAsync(ContainerdNode node, CancellationToken token)
    {
        var old = await node.RunHostPortPodAsync("ingress", OldPod, IngressPorts, token);
        await node.ReplayMicroK8sStopAsync(token);
        await node.StartContainerdAsync(token);
        return (old, await node.RunHostPortPodAsync("ingress", CurrentPod, IngressPorts, token));
    }

    public static string[] Flags(ContainerdNode node) =>
        ["--iptables.backends=legacy", "--iptables.families=ipv4", $"--cri.endpoint=unix://{node.SocketPath}", "--node.name=node-under-test", .. Fixture.ConntrackFlags("persistent-etc")];

    /// <summary>The table portmap writes on this node, as fix names it.</summary>
    public static string Table(ContainerdNode node) => node.Parts.IsNftables ? "nftables/ipv4" : "legacy/ipv4";
}
