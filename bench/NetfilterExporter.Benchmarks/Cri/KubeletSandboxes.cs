using System.Security.Cryptography;
using System.Text;
using NetfilterExporter.TestSupport.Cri;

namespace NetfilterExporter.Benchmarks.Cri;

/// <summary>
/// A node's pod sandboxes as a runtime lists them: the first ones are the generated table's host port pods (its
/// generation-1 sandbox ids, so their claims are live), the rest the node's other pods, each with the labels and
/// annotations the kubelet gives a sandbox, which are most of an answer's bytes.
/// </summary>
public static class KubeletSandboxes
{
    public static PodSandbox[] Create(int count, int hostPortPods) =>
        Enumerable.Range(0, count).Select(pod => Create(pod < hostPortPods ? $"sandbox-{pod}-1" : $"other-{pod}", pod)).ToArray();

    private static PodSandbox Create(string name, int pod)
    {
        var sandbox = PodSandboxes.Ready(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name))), "workloads", $"app-{pod}-7d9f8b6c5d-x2k4q");
        sandbox.Labels.Add("io.kubernetes.pod.name", sandbox.Metadata.Name);
        sandbox.Labels.Add("io.kubernetes.pod.namespace", sandbox.Metadata.Namespace);
        sandbox.Labels.Add("io.kubernetes.pod.uid", sandbox.Metadata.Uid);
        sandbox.Labels.Add("app.kubernetes.io/name", $"app-{pod}");
        sandbox.Labels.Add("pod-template-hash", "7d9f8b6c5d");
        sandbox.Annotations.Add("kubernetes.io/config.seen", "2026-12-01T10:00:00.000000000Z");
        sandbox.Annotations.Add("kubernetes.io/config.source", "api");
        sandbox.Annotations.Add("cni.projectcalico.org/podIP", "10.1.254.72/32");
        return sandbox;
    }
}
