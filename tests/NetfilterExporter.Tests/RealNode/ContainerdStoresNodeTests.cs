using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NetfilterExporter.Cri;
using NetfilterExporter.TestSupport;
using NetfilterExporter.TestSupport.Cri;

namespace NetfilterExporter.Tests.RealNode;

/// <summary>
/// containerd's own stores as the exporter asks them about a claim CRI does not list, on each set of parts (containerd
/// 1.6 has only the container store, 2.x the sandbox store too): they hold a sandbox that exists, and not one that does
/// not, was removed, or was left by MicroK8s' stop; one held longer than a creation takes is not being created.
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
        var (id, created) = Assert.Single(held);
        Assert.Equal(pod.SandboxId, id);
        // Made moments ago: the store's creation time is what tells a pod being created from a leftover.
        Assert.NotNull(created);
        Assert.InRange(DateTimeOffset.UtcNow - created.Value, TimeSpan.Zero, TimeSpan.FromMinutes(10));
    }

    [Theory]
    [MemberData(nameof(NodePartsData.All), MemberType = typeof(NodePartsData))]
    public async Task A_removed_sandbox_and_one_left_by_microk8s_stop_are_never_taken_for_one_being_created(string parts)
    {
        var token = TestContext.Current.CancellationToken;
        await using var node = await NodePartsData.StartNodeAsync(parts, token);
        var removed = await node.RunHostPortPodAsync("default", "removed", [(8081, 8080)], token, serve: false);
        await node.Cri.StopPodSandboxAsync(new StopPodSandboxRequest { PodSandboxId = removed.SandboxId }, cancellationToken: token);
        await node.Cri.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = removed.SandboxId }, cancellationToken: token);
        var old = await node.RunHostPortPodAsync("ingress", "nginx-ingress-microk8s-controller-4tq8z", [(80, 8080)], token, serve: false);
        await node.ReplayMicroK8sStopAsync(token);
        await node.StartContainerdAsync(token);

        var held = await ContainerdStores.HoldingAsync(node.SocketPath, [removed.SandboxId, old.SandboxId], token);

        Assert.NotNull(held);
        Assert.DoesNotContain(removed.SandboxId, held.Keys);
        // After the stop the old sandbox is either gone from the stores, or listed by CRI as not ready (stale either way);
        // it never looks like one being created, which CRI does not list.
        var listed = await CriClient.ListPodSandboxesAsync(node.SocketPath, token);
        Assert.True(!held.ContainsKey(old.SandboxId) || listed.Any(sandbox => sandbox.Id == old.SandboxId && !sandbox.Ready),
            $"containerd holds the old sandbox {old.SandboxId} and CRI lists: {string.Join(", ", listed.Select(sandbox => $"{sandbox.Id[..12]} ready={sandbox.Ready}"))}");
    }

    [Theory]
    [MemberData(nameof(NodePartsData.All), MemberType = typeof(NodePartsData))]
    public async Task A_sandbox_held_longer_than_a_creation_takes_is_not_being_created(string parts)
    {
        var token = TestContext.Current.CancellationToken;
        await using var node = await NodePartsData.StartNodeAsync(parts, token);
        var pod = await node.RunHostPortPodAsync("ingress", "nginx-ingress-microk8s-controller-4tq8z", [(80, 8080)], token, serve: false);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var collector = new CriCollector([node.SocketPath], NullLogger.Instance, clock);
        await collector.CollectAsync(token);

        var now = await collector.BeingCreatedAsync([pod.SandboxId], token);
        clock.Advance(CriCollector.CreationWindow + TimeSpan.FromMinutes(1));
        var later = await collector.BeingCreatedAsync([pod.SandboxId], token);

        Assert.Equal([pod.SandboxId], now);
        Assert.NotNull(later);
        Assert.Empty(later);
    }
}
