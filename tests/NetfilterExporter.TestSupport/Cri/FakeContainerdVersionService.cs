using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using ContainerdVersionResponse = NetfilterExporter.TestSupport.Cri.Containerd.VersionResponse;

namespace NetfilterExporter.TestSupport.Cri;

/// <summary>
/// containerd's own version API, the one service of the <see cref="FakeCriMode.NotCri"/> runtime: a real gRPC
/// server on the socket, so a runtime.v1 call gets the UNIMPLEMENTED that containerd with its CRI plugin disabled
/// answers.
/// </summary>
internal sealed class FakeContainerdVersionService : Containerd.Version.VersionBase
{
    public override Task<ContainerdVersionResponse> Version(Empty request, ServerCallContext context) =>
        Task.FromResult(new ContainerdVersionResponse { Version = "v1.7.24", Revision = "fake-runtime-without-cri" });
}
