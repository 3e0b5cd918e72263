using System.Net.Sockets;
using Grpc.Net.Client;

namespace NetfilterExporter.TestSupport;

/// <summary>
/// A gRPC channel to a server on a unix socket, as the kubelet reaches a container runtime: HTTP/2 without TLS,
/// every connection made to the socket whatever the address says (so the address is just http://localhost).
/// </summary>
public static class UnixSocketGrpc
{
    public static GrpcChannel CreateChannel(string socketPath)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }
}
