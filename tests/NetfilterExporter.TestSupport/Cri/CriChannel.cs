using System.Net.Sockets;
using Grpc.Net.Client;

namespace NetfilterExporter.TestSupport.Cri;

/// <summary>A gRPC channel to a container runtime's unix socket, the way the kubelet (and the exporter) reach it.</summary>
public static class CriChannel
{
    /// <summary>
    /// HTTP/2 without TLS to http://localhost, every connection made to <paramref name="socketPath"/>; the channel
    /// disposes its handler.
    /// </summary>
    public static GrpcChannel ForUnixSocket(string socketPath) =>
        GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { ConnectCallback = (_, cancellationToken) => ConnectAsync(socketPath, cancellationToken) },
            DisposeHttpClient = true,
        });

    /// <summary>A stream connected to <paramref name="socketPath"/>, for any HTTP client that should talk to the runtime's socket.</summary>
    public static async ValueTask<Stream> ConnectAsync(string socketPath, CancellationToken cancellationToken)
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
    }
}
