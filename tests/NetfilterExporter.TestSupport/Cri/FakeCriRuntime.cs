using System.Net.Sockets;
using System.Text;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace NetfilterExporter.TestSupport.Cri;

/// <summary>
/// A container runtime for tests, on a unix socket in a temporary directory of its own: the CRI's
/// ListPodSandbox served by Kestrel over HTTP/2 (<see cref="FakeCriMode.Sandboxes"/>, <see cref="FakeCriMode.Hang"/>),
/// or a socket that is not a CRI runtime (<see cref="FakeCriMode.Garbage"/>, <see cref="FakeCriMode.NotCri"/>,
/// <see cref="FakeCriMode.Http1"/>). Give <see cref="Endpoint"/> to the exporter's --cri.endpoint. Disposing
/// it ends hanging calls, stops the server and removes the directory with the socket.
/// </summary>
public sealed class FakeCriRuntime : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    // Not an HTTP/2 frame: read as a frame header it announces 7,237,492 bytes of frame type 0x2D ('-').
    private static readonly byte[] GarbagePrefix = "not-http2 -- a socket that is not a container runtime\n"u8.ToArray();

    private readonly TemporaryDirectory directory;
    private readonly FakeCriState state;
    private readonly CancellationTokenSource stopping;
    private readonly WebApplication? server;
    private readonly Socket? rawListener;
    private readonly Task? rawServing;

    private FakeCriRuntime(
        TemporaryDirectory directory, string socketPath, FakeCriState state, CancellationTokenSource stopping, WebApplication? server, Socket? rawListener)
    {
        this.directory = directory;
        this.state = state;
        this.stopping = stopping;
        this.server = server;
        this.rawListener = rawListener;
        SocketPath = socketPath;
        rawServing = rawListener is null ? null : ServeGarbageAsync(rawListener, stopping.Token);
    }

    public FakeCriMode Mode => state.Mode;

    /// <summary>The absolute path of the runtime's socket.</summary>
    public string SocketPath { get; }

    /// <summary>The socket as the exporter's --cri.endpoint takes it: unix:// and the absolute path.</summary>
    public string Endpoint => "unix://" + SocketPath;

    /// <summary>ListPodSandbox calls the runtime has received, answered or (Hang) still waiting.</summary>
    public int ListPodSandboxCalls => state.ListPodSandboxCalls;

    /// <summary>Connections accepted on the socket.</summary>
    public int Connections => state.Connections;

    /// <summary>What the next ListPodSandbox call answers (a queued answer first, else the standing one).</summary>
    public IReadOnlyList<PodSandbox> Sandboxes => state.CurrentSandboxes();

    public static Task<FakeCriRuntime> StartAsync(FakeCriBehaviour behaviour, CancellationToken cancellationToken) =>
        StartAtAsync(null, behaviour, cancellationToken);

    /// <summary>
    /// A runtime whose socket is at <paramref name="socketPath"/>, where a real one would create it (under a node
    /// root replica, say); null for a socket in a directory of its own. Disposing it removes the socket, as a runtime
    /// that stops does, so starting another at the same path is what a runtime restart looks like.
    /// </summary>
    public static async Task<FakeCriRuntime> StartAtAsync(string? socketPath, FakeCriBehaviour behaviour, CancellationToken cancellationToken)
    {
        var directory = new TemporaryDirectory("nfx-cri-");
        var stopping = new CancellationTokenSource();
        socketPath ??= directory.Combine("cri.sock");
        var state = new FakeCriState(behaviour.Mode, behaviour.InitialSandboxes, stopping.Token);
        WebApplication? server = null;
        Socket? rawListener = null;
        try
        {
            if (behaviour.Mode == FakeCriMode.Garbage)
            {
                rawListener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                rawListener.Bind(new UnixDomainSocketEndPoint(socketPath));
                rawListener.Listen();
            }
            else
            {
                server = BuildServer(socketPath, state);
                await server.StartAsync(cancellationToken);
            }
            return new FakeCriRuntime(directory, socketPath, state, stopping, server, rawListener);
        }
        catch
        {
            rawListener?.Dispose();
            if (server is not null)
            {
                await server.DisposeAsync();
            }
            stopping.Dispose();
            directory.Dispose();
            throw;
        }
    }

    /// <summary>From now on ListPodSandbox answers <paramref name="sandboxes"/> (after any queued answers).</summary>
    public void SetSandboxes(params PodSandbox[] sandboxes)
    {
        RequireSandboxesMode();
        state.SetSandboxes(sandboxes);
    }

    /// <summary>
    /// The next ListPodSandbox call, and only that one, answers <paramref name="sandboxes"/>: queued answers are
    /// used in order, then the standing answer again. For a change between two calls of one collection.
    /// </summary>
    public void QueueAnswer(params PodSandbox[] sandboxes)
    {
        RequireSandboxesMode();
        state.QueueAnswer(sandboxes);
    }

    /// <summary>A channel to this runtime's socket (see <see cref="CriChannel"/>); the caller disposes it.</summary>
    public GrpcChannel CreateChannel() => CriChannel.ForUnixSocket(SocketPath);

    public override string ToString() => $"fake CRI runtime ({Mode}) at {SocketPath}";

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        try
        {
            if (server is not null)
            {
                using var timeout = new CancellationTokenSource(StopTimeout);
                await server.StopAsync(timeout.Token);
                await server.DisposeAsync();
            }
            if (rawServing is not null)
            {
                try
                {
                    await rawServing;
                }
                catch (OperationCanceledException)
                {
                    // Stopped while waiting for a connection.
                }
            }
        }
        finally
        {
            rawListener?.Dispose();
            stopping.Dispose();
            File.Delete(SocketPath);
            directory.Dispose();
        }
    }

    private static WebApplication BuildServer(string socketPath, FakeCriState state)
    {
        // The empty builder reads no configuration, environment or appsettings and logs nowhere, so nothing of
        // the test process changes what the fake does.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(options => options.ListenUnixSocket(socketPath, listen =>
        {
            listen.Protocols = state.Mode == FakeCriMode.Http1 ? HttpProtocols.Http1 : HttpProtocols.Http2;
            listen.Use(next => connection =>
            {
                state.CountConnection();
                return next(connection);
            });
        }));
        builder.Services.AddSingleton(state);
        if (state.Mode != FakeCriMode.Http1)
        {
            builder.Services.AddRoutingCore();
            builder.Services.AddGrpc();
        }

        var app = builder.Build();
        switch (state.Mode)
        {
            case FakeCriMode.Sandboxes or FakeCriMode.Hang:
                app.MapGrpcService<FakeRuntimeService>();
                break;
            case FakeCriMode.NotCri:
                app.MapGrpcService<FakeContainerdVersionService>();
                break;
            case FakeCriMode.Http1:
                app.Run(context =>
                {
                    context.Response.ContentType = "text/plain; charset=utf-8";
                    return context.Response.WriteAsync("an HTTP/1.1 server, not a container runtime\n", context.RequestAborted);
                });
                break;
            default:
                throw new InvalidOperationException($"mode {state.Mode} has no HTTP server");
        }
        return app;
    }

    private async Task ServeGarbageAsync(Socket listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            using var connection = await listener.AcceptAsync(cancellationToken);
            state.CountConnection();
            var garbage = new byte[GarbagePrefix.Length + 256];
            GarbagePrefix.CopyTo(garbage, 0);
            Random.Shared.NextBytes(garbage.AsSpan(GarbagePrefix.Length));
            try
            {
                await connection.SendAsync(garbage, SocketFlags.None, cancellationToken);
                connection.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
                // The client hung up first; the next one gets its garbage too.
            }
        }
    }

    private void RequireSandboxesMode()
    {
        if (state.Mode != FakeCriMode.Sandboxes)
        {
            throw new InvalidOperationException($"{this} lists no sandboxes; start it with FakeCriBehaviour.Sandboxes(...)");
        }
    }
}
