using NetfilterExporter.Cri;
using NetfilterExporter.TestSupport.Cri;

namespace NetfilterExporter.Unit.Tests.Cri;

/// <summary>containerd's stores as the exporter asks them, here against a runtime that serves CRI alone (the real containerd: ContainerdStoresNodeTests).</summary>
public sealed class ContainerdStoresTests
{
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
