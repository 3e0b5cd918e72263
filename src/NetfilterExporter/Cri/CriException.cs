using Grpc.Core;

namespace NetfilterExporter.Cri;

/// <summary>The runtime's socket could not answer a call (<paramref name="call"/>); the message says what the operator can check.</summary>
public sealed class CriException(string socketPath, RpcException cause, string call = "CRI ListPodSandbox") : Exception(Describe(socketPath, cause, call), cause)
{
    /// <summary>The socket answers gRPC but serves no CRI runtime service (a containerd with its CRI plugin disabled).</summary>
    public bool NotCri => cause.StatusCode == StatusCode.Unimplemented;

    private static string Describe(string socketPath, RpcException cause, string call)
    {
        var detail = cause.Status.DebugException?.InnerException?.Message ?? cause.Status.DebugException?.Message ?? cause.Status.Detail;
        return cause.StatusCode switch
        {
            StatusCode.Unimplemented =>
                $"{socketPath} answers gRPC but is not a CRI runtime (runtime.v1.RuntimeService/ListPodSandbox is not implemented); point --cri.endpoint at the runtime's CRI socket",
            StatusCode.Unavailable when detail?.Contains("Permission denied", StringComparison.Ordinal) == true =>
                $"cannot talk to the CRI runtime at {socketPath}: {detail}: the exporter's user may not connect to the socket " +
                "(systemd: install deploy/systemd/netfilter-exporter.service.d/cri.conf and give the socket that group, docs/install.md), or set --cri.endpoint=none",
            StatusCode.Unavailable =>
                $"cannot talk to the CRI runtime at {socketPath}: {detail}",
            _ => $"{call} at {socketPath} failed: {cause.StatusCode}: {detail}",
        };
    }
}
