using NetfilterExporter.Cri;

namespace NetfilterExporter.TestSupport;

/// <summary>
/// What containerd's ListPodSandbox says on the node of examples/after-stop-start before containerd restarts: the
/// old ingress sandbox (the stale claim's id) is NOTREADY, the new one READY.
/// </summary>
public static class ExampleSandboxes
{
    public const string OldIngress = "4b42590d177e8116d1fd471bbc720e9491abd9163a1509fd7252af646e803cbf";
    public const string NewIngress = "d6437fe2be059268620ea6ecf9cbaa70fbce445e1a5358c974ceda661f4fda92";

    public static PodSandboxes AfterStopStart() => new(
        [
            new Sandbox(OldIngress, "ingress", "nginx-ingress-microk8s-controller-4tq8z", Ready: false),
            new Sandbox(NewIngress, "ingress", "nginx-ingress-microk8s-controller-9xk2d", Ready: true),
            new Sandbox("0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0", "kube-system", "calico-node-7hj5k", Ready: true),
        ]);
}
