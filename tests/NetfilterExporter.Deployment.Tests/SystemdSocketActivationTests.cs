using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;

namespace NetfilterExporter.Deployment.Tests;

/// <summary>
/// --web.systemd-socket with the shipped binary: started by systemd-socket-activate, which speaks the LISTEN_FDS
/// protocol as a .socket unit does (it binds the port, waits for a connection, then execs the command in its own
/// process with the socket as fd 3), the exporter serves on that socket and listens on nothing else. Without a
/// passed socket it refuses to start, as node_exporter does.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class SystemdSocketActivationTests
{
    // sd_listen_fds(3): the first passed socket; open(2)'s O_CLOEXEC as /proc/PID/fdinfo shows flags, in octal.
    private const int PassedDescriptor = 3;
    private const int OpenCloseOnExec = 0x80000;

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private static string StaleDump => $"--iptables.from-file={RepositoryPaths.Combine("examples", "after-stop-start.legacy-ipv4.txt")}";

    [Fact]
    public async Task Systemd_socket_activate_starts_the_exporter_on_the_first_connection_and_it_serves_only_on_the_passed_socket()
    {
        var activate = Prerequisites.RequireCommand("systemd-socket-activate", "systemd");
        var cancellationToken = TestContext.Current.CancellationToken;
        var activated = LoopbackPort.Free();
        var ignored = LoopbackPort.Free();
        Assert.NotEqual(activated, ignored);
        using var notify = new NotifySocket();
        // An explicit --web.listen-address too: the flag replaces it, as it replaces the default :10066.
        await using var process = CapturedProcess.Start("systemd-socket-activate", activate,
        [
            $"--listen=127.0.0.1:{activated}", $"--setenv=NOTIFY_SOCKET={notify.Path}",
            ExporterProcess.BinaryPath, "--web.systemd-socket", $"--web.listen-address=127.0.0.1:{ignored}", StaleDump, "--cri.endpoint=none",
        ]);

        // Lazy, as a .socket unit with Accept=no: the socket is bound before the exporter runs.
        await Poll.UntilAsync($"the activated port {activated} to be listening", Limit, () => ListeningSockets.TcpPorts(process.Id).Contains(activated), () => process.Log, TimeSpan.FromMilliseconds(50), cancellationToken);
        Assert.NotEqual(Path.GetFullPath(ExporterProcess.BinaryPath), Executable(process.Id));
        Assert.Empty(notify.Drain());

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{activated}/metrics"), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /metrics answered {(int)response.StatusCode}: {body}\n{process.Log}");
        Assert.Equal(1, ScrapedMetrics.Parse(body).Value("netfilter_hostport_dnat_duplicates", "backend=legacy", "family=ipv4", "protocol=tcp", "port=80"));
        // The process that holds the socket is now the exporter (LISTEN_PID is its own), and it listens on that port alone.
        Assert.Equal(Path.GetFullPath(ExporterProcess.BinaryPath), Executable(process.Id));
        Assert.Equal([activated], ListeningSockets.TcpPorts(process.Id));
        var refused = await Assert.ThrowsAsync<SocketException>(async () =>
        {
            using var probe = new TcpClient();
            await probe.ConnectAsync(IPAddress.Loopback, ignored, cancellationToken);
        });
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        // Passed inheritable, marked close-on-exec as sd_listen_fds() marks it: the save commands the exporter starts
        // do not hold the listening socket.
        Assert.True(IsCloseOnExec(process.Id, PassedDescriptor), $"fd {PassedDescriptor} is inherited by the exporter's children: {File.ReadAllText($"/proc/{process.Id}/fdinfo/{PassedDescriptor}")}");
        // Type=notify works with socket activation too.
        await notify.WaitForAsync("READY=1", Limit, () => process.Log, cancellationToken);
    }

    /// <summary>No socket for this process (none passed, some for another process, or zero): exit 2, naming the variables.</summary>
    [Theory]
    [InlineData("unset LISTEN_PID LISTEN_FDS", "LISTEN_PID=unset, LISTEN_FDS=unset")]
    [InlineData("export LISTEN_PID=1 LISTEN_FDS=1", "LISTEN_PID=1, LISTEN_FDS=1")]
    [InlineData("export LISTEN_PID=$$ LISTEN_FDS=0", ", LISTEN_FDS=0)")]
    public async Task Without_a_socket_passed_to_it_the_exporter_exits_two_naming_listen_fds(string environment, string expected)
    {
        // exec keeps the shell's process id, so $$ is the exporter's own.
        var result = await TestCommand.RunCancellableAsync("sh",
            ["-c", $"unset NOTIFY_SOCKET LISTEN_FDNAMES; {environment}; exec \"$0\" \"$@\"", ExporterProcess.BinaryPath, "--web.systemd-socket", StaleDump, "--cri.endpoint=none"],
            TestContext.Current.CancellationToken, timeout: Limit);

        Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}: {result.StandardError}{result.StandardOutput}");
        Assert.Contains("--web.systemd-socket: systemd passed no socket to this process", result.StandardError, StringComparison.Ordinal);
        Assert.Contains(expected, result.StandardError, StringComparison.Ordinal);
    }

    private static bool IsCloseOnExec(int processId, int descriptor)
    {
        var flags = File.ReadLines($"/proc/{processId}/fdinfo/{descriptor}").Single(line => line.StartsWith("flags:", StringComparison.Ordinal));
        return (Convert.ToInt32(flags["flags:".Length..].Trim(), 8) & OpenCloseOnExec) != 0;
    }

    private static string? Executable(int processId) => new FileInfo($"/proc/{processId}/exe").LinkTarget;
}
