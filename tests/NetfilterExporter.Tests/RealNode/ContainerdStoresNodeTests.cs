using NetfilterExporter.Cri;
using NetfilterExporter.TestSupport;

namespace NetfilterExporter.Tests.RealNode;

/// <summary>
/// containerd's own stores as the exporter asks them about a claim CRI does not list, on each set of parts (containerd
/// 1.6 has only the container store, 2.x the sandbox store too): they hold a sandbox that exists, and not one that does not.
/// </summary>
[Collection(RealNodeCollection.Name)]
public sealed class ContainerdStoresNodeTests
{
    private const string NeverCreated = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [MemberData(nameof(NodePartsData.All), MemberType = typeof(NodePartsData))]
    public async Task The_stores_hold_a_sandbox_that_exists_and_not_one_that_never_did(string parts)
    {
        var token = TestContext.Current.CancellationToken;
        await using var node = await NodePartsData.StartNodeAsync(parts, token);
        var pod = await node.RunHostPortPodAsync("ingress", "nginx-ingress-microk8s-controller-4tq8z", [(80, 8080)], token, serve: false);

        var held = await ContainerdStores.HoldingAsync(node.SocketPath, [pod.SandboxId, NeverCreated], token);

        Assert.NotNull(held);
        Assert.Equal([pod.SandboxId], held);
    }
}
