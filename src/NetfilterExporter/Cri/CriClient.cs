using System.Net.Sockets;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using NetfilterExporter.Cri.V1;

namespace NetfilterExporter.Cri;

/// <summary>
/// The exporter's one CRI call: ListPodSandbox over the runtime's unix socket, with the messages Grpc.Tools generates
/// from Cri/runtime.proto, which declares no RPC but this read (containerd's own stores: <see cref="ContainerdStores"/>).
/// </summary>
public static class CriClient
{
    private static readonly MessageParser<ListPodSandboxResponse> AnswerParser = ListPodSandboxResponse.Parser.WithDiscardUnknownFields(true);

    // Declared here rather than taken from a generated client so that the answer's parser drops what the proto leaves
    // out: the kubelet's labels and annotations are most of an answer's bytes, and keeping them as unknown fields cost
    // four times the allocations of the fields read (docs/performance.md, CriBenchmarks).
    private static readonly Method<ListPodSandboxRequest, ListPodSandboxResponse> ListPodSandbox =
        UnaryCall.Of("runtime.v1.RuntimeService", "ListPodSandbox", ListPodSandboxRequest.Parser, AnswerParser);

    // The limit applies to the answer as sent, labels and the pod annotations the kubelet copies in included; the
    // kubelet and crictl allow 16 MB for the same call.
    private const int MaxAnswerBytes = 16 * 1024 * 1024;

    /// <summary>Every sandbox the runtime knows, ready or not. Cancelling <paramref name="cancellationToken"/> abandons the call.</summary>
    public static async Task<IReadOnlyList<Sandbox>> ListPodSandboxesAsync(string socketPath, CancellationToken cancellationToken)
    {
        if (!File.Exists(socketPath))
        {
            throw new FileNotFoundException($"the CRI socket {socketPath} does not exist (is the container runtime running? see --cri.endpoint)");
        }
        using var channel = OpenChannel(socketPath);
        ListPodSandboxResponse response;
        try
        {
            response = await channel.CreateCallInvoker()
                .AsyncUnaryCall(ListPodSandbox, host: null, new CallOptions(cancellationToken: cancellationToken), new ListPodSandboxRequest());
        }
        catch (RpcException exception)
        {
            throw new CriException(socketPath, exception);
        }
        return response.Items.Select(item => new Sandbox(
            item.Id,
            item.Metadata is { Name.Length: > 0 } metadata ? metadata.Namespace : null,
            item.Metadata is { Name.Length: > 0 } named ? named.Name : null,
            item.State == PodSandboxState.SandboxReady)).ToList();
    }

    /// <summary>
    /// A channel to the runtime's socket. One connection per collection: nothing is held open between scrapes, and a
    /// runtime restarted in between is simply connected to again.
    /// </summary>
    internal static GrpcChannel OpenChannel(string socketPath) =>
        GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                ConnectCallback = (_, token) => ConnectAsync(socketPath, token),
                UseProxy = false,
            },
            DisposeHttpClient = true,
            MaxReceiveMessageSize = MaxAnswerBytes,
            // The collection's deadline surfaces as a timeout, like a hung save command, not as a runtime error.
            ThrowOperationCanceledOnCancellation = true,
        });

    private static async ValueTask<Stream> ConnectAsync(string socketPath, CancellationToken cancellationToken)
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
