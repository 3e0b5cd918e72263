using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;

namespace NetfilterExporter.Deployment.Tests;

/// <summary>
/// Type=notify with the shipped binary: a unix datagram socket stands in for systemd's notification socket
/// (NOTIFY_SOCKET). READY=1 comes only once the listen port accepts connections, STOPPING=1 on SIGTERM, and a
/// port that cannot be bound ends the exporter without READY=1, so systemd fails the start.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class SystemdReadinessTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Ready_arrives_only_when_the_port_accepts_and_stopping_on_sigterm()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var port = LoopbackPort.Free();
        using var notify = new NotifySocket();
        await using var exporter = CapturedProcess.Start("the exporter", "env", WithNotifySocket(notify, port));

        await notify.WaitForAsync("READY=1", Limit, () => exporter.Log, cancellationToken);

        // Right when READY=1 is in: the port is bound and answers; nothing was announced before.
        using (var probe = new TcpClient())
        {
            await probe.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
        }
        Assert.Contains(port, ListeningSockets.TcpPorts(exporter.Id));
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        Assert.Equal("ok\n", await client.GetStringAsync(new Uri($"http://127.0.0.1:{port}/healthz"), cancellationToken));
        Assert.Equal(["READY=1"], notify.Received);

        Assert.True(ProcessSignal.Send(exporter.Id, ProcessSignal.Terminate), "the exporter was gone before SIGTERM");
        await notify.WaitForAsync("STOPPING=1", Limit, () => exporter.Log, cancellationToken);
        await Poll.UntilAsync("the exporter to exit after SIGTERM", Limit, () => exporter.HasExited, () => exporter.Log, TimeSpan.FromMilliseconds(50), cancellationToken);
        Assert.Equal(1, notify.Drain().Count(message => NotifySocket.Holds(message, "READY=1")));
    }

    [Fact]
    public async Task When_the_port_is_taken_the_exporter_exits_non_zero_and_never_sends_ready()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        using var notify = new NotifySocket();

        var result = await TestCommand.RunCancellableAsync("env", WithNotifySocket(notify, port), TestContext.Current.CancellationToken, timeout: Limit);

        Assert.True(result.ExitCode == 1, $"the exporter exited {result.ExitCode} on a taken port:\n{result.StandardError}{result.StandardOutput}");
        Assert.Contains($"netfilter-exporter: cannot listen on 127.0.0.1:{port}: Failed to bind to address", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("address already in use", result.StandardError, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Unhandled exception", result.StandardError, StringComparison.Ordinal);
        // It has exited: whatever it sent is queued.
        Assert.DoesNotContain(notify.Drain(), message => NotifySocket.Holds(message, "READY=1"));
    }

    /// <summary>env's arguments: the exporter on 127.0.0.1:<paramref name="port"/> with NOTIFY_SOCKET set and no socket passed.</summary>
    private static string[] WithNotifySocket(NotifySocket notify, int port) =>
    [
        "-u", "LISTEN_PID", "-u", "LISTEN_FDS", "-u", "LISTEN_FDNAMES", $"NOTIFY_SOCKET={notify.Path}",
        ExporterProcess.BinaryPath, $"--iptables.from-file={RepositoryPaths.Combine("examples", "after-stop-start.legacy-ipv4.txt")}",
        "--cri.endpoint=none", $"--web.listen-address=127.0.0.1:{port}",
    ];
}
