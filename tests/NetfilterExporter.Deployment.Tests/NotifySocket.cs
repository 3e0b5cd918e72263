using System.Net.Sockets;
using System.Text;

namespace NetfilterExporter.Deployment.Tests;

/// <summary>
/// What systemd listens on for a Type=notify unit: a unix datagram socket whose path it passes as NOTIFY_SOCKET.
/// Each sd_notify() call is one datagram of newline-separated assignments (READY=1, STOPPING=1).
/// </summary>
public sealed class NotifySocket : IDisposable
{
    private readonly TemporaryDirectory directory = new("nfx-notify-");
    private readonly Socket socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly List<string> received = [];

    public NotifySocket()
    {
        Path = directory.Combine("notify");
        socket.Bind(new UnixDomainSocketEndPoint(Path));
    }

    /// <summary>The value for NOTIFY_SOCKET.</summary>
    public string Path { get; }

    /// <summary>Every datagram received so far, in order.</summary>
    public IReadOnlyList<string> Received => received;

    /// <summary>Receives datagrams until one holds <paramref name="assignment"/> as a line, and returns it.</summary>
    public async Task<string> WaitForAsync(string assignment, TimeSpan limit, Func<string> context, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var length = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
                var message = Encoding.UTF8.GetString(buffer, 0, length);
                received.Add(message);
                if (Holds(message, assignment))
                {
                    return message;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no {assignment} on NOTIFY_SOCKET within {limit}; received [{string.Join(" | ", received)}]\n{context()}");
        }
    }

    /// <summary>Takes every datagram already queued, without waiting (for a sender that has exited).</summary>
    public IReadOnlyList<string> Drain()
    {
        var buffer = new byte[4096];
        while (socket.Available > 0)
        {
            received.Add(Encoding.UTF8.GetString(buffer, 0, socket.Receive(buffer)));
        }
        return received;
    }

    public static bool Holds(string message, string assignment) => message.Split('\n').Contains(assignment, StringComparer.Ordinal);

    public void Dispose()
    {
        socket.Dispose();
        directory.Dispose();
    }
}
