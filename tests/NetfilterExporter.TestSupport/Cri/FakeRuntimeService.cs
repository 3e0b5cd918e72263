using Grpc.Core;

namespace NetfilterExporter.TestSupport.Cri;

/// <summary>
/// The CRI RuntimeService of a <see cref="FakeCriRuntime"/>: ListPodSandbox answers the test's sandboxes or hangs;
/// every other call is the generated base's UNIMPLEMENTED.
/// </summary>
internal sealed class FakeRuntimeService(FakeCriState state) : RuntimeService.RuntimeServiceBase
{
    public override async Task<ListPodSandboxResponse> ListPodSandbox(ListPodSandboxRequest request, ServerCallContext context)
    {
        if (state.Mode != FakeCriMode.Hang)
        {
            return state.AnswerListPodSandbox();
        }
        state.CountListPodSandboxCall();
        using var callOrRuntimeEnds = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, state.Stopping);
        try
        {
            await Task.Delay(Timeout.Infinite, callOrRuntimeEnds.Token);
        }
        catch (OperationCanceledException) when (!context.CancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "the fake runtime is stopping"));
        }
        throw new RpcException(new Status(StatusCode.Cancelled, "the caller gave up"));
    }
}
