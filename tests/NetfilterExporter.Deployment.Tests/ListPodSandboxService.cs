using Grpc.Core;
using NetfilterExporter.TestSupport.Cri;

namespace NetfilterExporter.Deployment.Tests;

/// <summary>The CRI RuntimeService of a <see cref="CriSocketServer"/>: ListPodSandbox answers; every other call is the generated base's UNIMPLEMENTED.</summary>
public sealed class ListPodSandboxService(CriSocketAnswer answer) : RuntimeService.RuntimeServiceBase
{
    public override Task<ListPodSandboxResponse> ListPodSandbox(ListPodSandboxRequest request, ServerCallContext context) =>
        Task.FromResult(answer.Answer());
}
