using System.Runtime.Versioning;
using Grpc.Core;
using NetfilterExporter.TestSupport.Cri;

namespace NetfilterExporter.Deployment.Tests;

/// <summary>
/// Debian's containerd, started only for the socket it makes: the CRI plugin loaded, no CNI configuration and no
/// image, so it lists no sandbox. Its root, state and sockets live in a temporary directory laid out as on a node
/// (state DIR/run/containerd, gRPC socket DIR/run/containerd/containerd.sock), the [grpc] table sets the socket's
/// gid as docs/install.md does, and it runs in a network namespace of its own (its streaming server listens there).
/// Disposing it kills it by PID and removes the directory.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class RealContainerdSocket : IAsyncDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);

    private readonly TemporaryDirectory directory;
    private readonly NetworkNamespace netns;
    private readonly CapturedProcess process;

    private RealContainerdSocket(TemporaryDirectory directory, NetworkNamespace inside, CapturedProcess process)
    {
        this.directory = directory;
        netns = inside;
        this.process = process;
    }

    public string SocketPath => directory.Combine("run", "containerd", "containerd.sock");

    public string Log => process.Log;

    public static async Task<RealContainerdSocket> StartAsync(int socketGroupId, CancellationToken cancellationToken)
    {
        Prerequisites.RequireCommand("containerd", "containerd");
        var directory = new TemporaryDirectory("nfx-containerd-");
        NetworkNamespace? inside = null;
        CapturedProcess? process = null;
        try
        {
            var state = directory.Combine("run", "containerd");
            var config = directory.Combine("config.toml");
            // Everything containerd would otherwise create on the machine (/var/lib/containerd, /opt/containerd,
            // /etc/cni/net.d) is moved into the directory; the snapshotters this machine cannot use are off.
            await File.WriteAllTextAsync(config, $$"""
                version = 2
                root = "{{directory.Combine("root")}}"
                state = "{{state}}"
                disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs"]

                [grpc]
                  address = "{{Path.Combine(state, "containerd.sock")}}"
                  gid = {{socketGroupId}}

                [ttrpc]
                  address = "{{Path.Combine(state, "containerd.sock.ttrpc")}}"

                [plugins."io.containerd.internal.v1.opt"]
                  path = "{{directory.Combine("opt")}}"

                [plugins."io.containerd.grpc.v1.cri"]
                  stream_server_address = "127.0.0.1"
                  stream_server_port = "0"
                  netns_mounts_under_state_dir = true
                  restrict_oom_score_adj = true
                  [plugins."io.containerd.grpc.v1.cri".cni]
                    bin_dir = "{{directory.Combine("cni", "bin")}}"
                    conf_dir = "{{directory.Combine("cni", "net.d")}}"
                """, cancellationToken);
            inside = await NetworkNamespace.CreateAsync();
            process = CapturedProcess.Start("containerd", "ip", ["netns", "exec", inside.Name, "containerd", "--config", config]);
            var started = new RealContainerdSocket(directory, inside, process);
            await started.WaitUntilItListsSandboxesAsync(cancellationToken);
            return started;
        }
        catch
        {
            if (process is not null)
            {
                await process.DisposeAsync();
            }
            if (inside is not null)
            {
                await inside.DisposeAsync();
            }
            directory.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await process.DisposeAsync();
        await netns.DisposeAsync();
        directory.Dispose();
    }

    /// <summary>The CRI plugin starts after the socket exists; as root, ask until ListPodSandbox answers.</summary>
    private async Task WaitUntilItListsSandboxesAsync(CancellationToken cancellationToken)
    {
        await Poll.UntilAsync(
            $"containerd to answer ListPodSandbox on {SocketPath}",
            StartLimit,
            async token =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"containerd exited during start:\n{Log}");
                }
                if (!File.Exists(SocketPath))
                {
                    return false;
                }
                try
                {
                    using var channel = CriChannel.ForUnixSocket(SocketPath);
                    await new RuntimeService.RuntimeServiceClient(channel).ListPodSandboxAsync(new ListPodSandboxRequest(), cancellationToken: token);
                    return true;
                }
                catch (RpcException)
                {
                    // Not serving CRI yet.
                    return false;
                }
            },
            () => Log,
            cancellationToken: cancellationToken);
    }
}
