using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NetfilterExporter.TestSupport;

/// <summary>
/// The workload of a test pod: a minimal HTTP server on one container port inside the pod's network namespace,
/// answering every request with 200 and the pod's namespace/name, so a test can tell which pod a host port
/// reached. It runs in the test process: only its listening socket is created inside the pod's namespace
/// (<see cref="NetworkNamespace.CreateSocketIn"/>), and a socket keeps the namespace it was made in.
/// Disposing it is the workload dying: the port then refuses, as a killed container's would.
/// </summary>
public sealed class PodListener : IAsyncDisposable
{
    private readonly Socket listener;
    private readonly byte[] response;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task accepting;

    private PodListener(Socket listener, string body)
    {
        this.listener = listener;
        response = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {Encoding.ASCII.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}");
        accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndPoint!).Port;

    /// <param name="namespacePath">The pod's network namespace, e.g. from PodSandboxStatus.</param>
    /// <param name="body">What every answer says (the pod's namespace/name).</param>
    public static PodListener Start(string namespacePath, int port, string body)
    {
        var socket = NetworkNamespace.CreateSocketIn(namespacePath, AddressFamily.InterNetwork);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Any, port));
            socket.Listen(16);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new PodListener(socket, body);
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Dispose();
        try
        {
            await accepting;
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The accept in flight ends with the socket.
        }
        stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            var connection = await listener.AcceptAsync(stopping.Token);
            _ = AnswerAsync(connection);
        }
    }

    /// <summary>Reads the request head and answers; one request per connection (Connection: close).</summary>
    private async Task AnswerAsync(Socket connection)
    {
        using (connection)
        {
            try
            {
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
                deadline.CancelAfter(TimeSpan.FromSeconds(10));
                var buffer = new byte[4096];
                var received = 0;
                while (received < buffer.Length)
                {
                    var read = await connection.ReceiveAsync(buffer.AsMemory(received), deadline.Token);
                    if (read == 0)
                    {
                        break;
                    }
                    received += read;
                    if (buffer.AsSpan(0, received).IndexOf("\r\n\r\n"u8) >= 0)
                    {
                        break;
                    }
                }
                await connection.SendAsync(response, deadline.Token);
                connection.Shutdown(SocketShutdown.Both);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The client went away or the listener stopped: nothing to answer.
            }
        }
    }
}
