using NetfilterExporter.Cri;
using NetfilterExporter.TestSupport.Cri;

namespace NetfilterExporter.Unit.Tests.Cri;

/// <summary>containerd's stores as the exporter asks them, here against a runtime that serves CRI alone (the real containerd: ContainerdStoresNodeTests).</summary>
public sealed class ContainerdStoresTests
{
    [Fact]
    public void The_only_calls_are_the_two_stores_get_by_id()
    {
        // gRPC builds each call's path from these at run time, so the binary's names alone (CriReadOnlyBinaryTests) could
        // not tell a Get from a Delete of the same service.
        Assert.Equal(
            ["/containerd.services.sandbox.v1.Store/Get", "/containerd.services.containers.v1.Containers/Get"],
            ContainerdStores.Calls.Select(call => call.FullName));
        Assert.All(ContainerdStores.Calls, call => Assert.Equal(Grpc.Core.MethodType.Unary, call.Type));
    }

    [Fact]
    public async Task A_runtime_that_serves_neither_store_can_say_nothing_rather_than_that_nothing_is_held()
    {
        var token = TestContext.Current.CancellationToken;
        await using var runtime = await FakeCriRuntime.StartAsync(FakeCriBehaviour.Sandboxes(), token);

        var held = await ContainerdStores.HoldingAsync(runtime.SocketPath, ["4b42590d177e8116d1fd471bbc720e9491abd9163a1509fd7252af646e803cbf"], token);

        Assert.Null(held);
        Assert.Equal(0, runtime.ListPodSandboxCalls);
    }
}
