using System.Runtime.Versioning;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using NetfilterExporter.TestSupport.Cri;

namespace NetfilterExporter.Deployment.Tests;

/// <summary>
/// The node's container runtime as far as the exporter sees it: CRI ListPodSandbox over HTTP/2 on a unix socket at
/// the path the test names, where a runtime would create it (under a <see cref="NodeRootReplica"/> or a test's own
/// directory), answering the sandboxes it was given. Disposing it stops the server and removes the socket, as a
/// runtime that stops does; starting another at the same path re-creates the socket, as a restart does.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class CriSocketServer : IAsyncDisposable
{
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(10);

    private readonly WebApplication _server;
    private readonly CriSocketAnswer _answer;

    private CriSocketServer(WebApplication server, CriSocketAnswer answer, string socketPath)
    {
        _server = server;
        _answer = answer;
        SocketPath = socketPath;
    }

    public string SocketPath { get; }

    /// <summary>The socket as --cri.endpoint names it.</summary>
    public string Endpoint => "unix://" + SocketPath;

    /// <summary>ListPodSandbox calls answered so far.</summary>
    public int Calls => _answer.Calls;

    public static async Task<CriSocketServer> StartAsync(string socketPath, IReadOnlyList<PodSandbox> sandboxes, CancellationToken cancellationToken)
    {
        var answer = new CriSocketAnswer(sandboxes);
        // The empty builder reads no configuration or environment and logs nowhere: nothing of the test process
        // changes what the runtime does.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(options => options.ListenUnixSocket(socketPath, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddSingleton(answer);
        builder.Services.AddRoutingCore();
        builder.Services.AddGrpc();
        var server = builder.Build();
        server.MapGrpcService<ListPodSandboxService>();
        try
        {
            await server.StartAsync(cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return new CriSocketServer(server, answer, socketPath);
    }

    /// <summary>What containerd does with its [grpc] uid and gid: the socket's owner, group and mode 0660.</summary>
    public async Task RestrictAsync(int userId, int groupId)
    {
        File.SetUnixFileMode(SocketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
        (await TestCommand.RunAsync("chown", [$"{userId}:{groupId}", SocketPath])).EnsureSuccess($"chown {userId}:{groupId} {SocketPath}");
    }

    public async ValueTask DisposeAsync()
    {
        using (var limit = new CancellationTokenSource(StopLimit))
        {
            await _server.StopAsync(limit.Token);
        }
        await _server.DisposeAsync();
        // Kestrel removes the socket file it created; a runtime that stops leaves none either.
        File.Delete(SocketPath);
    }
}
