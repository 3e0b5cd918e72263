using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace NetfilterExporter.TestSupport;

/// <summary>
/// The one HTTP endpoint tests stand up (a webhook target, a recording hop in front of the exporter): Kestrel on
/// an ephemeral loopback port, of the host or of a network namespace, that records every request and answers
/// with <c>respond</c>, or 200 with no body.
/// </summary>
public sealed partial class HttpReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly List<ReceivedHttpRequest> requests = [];

    private HttpReceiver(WebApplication app, Uri baseAddress)
    {
        this.app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>Every request so far, in arrival order.</summary>
    public IReadOnlyList<ReceivedHttpRequest> Requests
    {
        get
        {
            lock (requests)
            {
                return requests.ToArray();
            }
        }
    }

    /// <param name="respond">Writes the answer; null answers 200 with no body.</param>
    /// <param name="inside">The namespace whose loopback to listen on; null for the host's.</param>
    public static async Task<HttpReceiver> StartAsync(RequestDelegate? respond = null, NetworkNamespace? inside = null, CancellationToken cancellationToken = default)
    {
        // The socket is made in the namespace (a thread's setns), bound and handed to Kestrel as a descriptor of
        // its own: Kestrel closes what it is given, and this one is closed here.
        using var socket = inside?.CreateSocketInside(AddressFamily.InterNetwork) ?? new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Listen();
        var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        var handle = Duplicate((int)socket.Handle);
        if (handle < 0)
        {
            throw new InvalidOperationException($"dup of the listening socket failed: errno {Marshal.GetLastPInvokeError()}");
        }
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenHandle((ulong)handle));
        var app = builder.Build();
        var receiver = new HttpReceiver(app, new UriBuilder("http", "127.0.0.1", port).Uri);
        app.Run(async context =>
        {
            using var body = new StreamReader(context.Request.Body);
            var request = new ReceivedHttpRequest(
                context.Request.Method,
                context.Request.Path + context.Request.QueryString,
                context.Request.Headers.ToDictionary(header => header.Key, header => header.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                await body.ReadToEndAsync(context.RequestAborted));
            lock (receiver.requests)
            {
                receiver.requests.Add(request);
            }
            if (respond is not null)
            {
                await respond(context);
            }
        });
        await app.StartAsync(cancellationToken);
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    [LibraryImport("libc", EntryPoint = "dup", SetLastError = true)]
    private static partial int Duplicate(int descriptor);
}
