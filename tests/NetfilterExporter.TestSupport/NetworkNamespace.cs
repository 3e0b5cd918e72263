using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace NetfilterExporter.TestSupport;

/// <summary>
/// A network namespace that a test creates and always removes: its own netfilter tables and its own
/// loopback, so real iptables rules can be loaded without touching the machine's.
/// </summary>
public sealed partial class NetworkNamespace : IAsyncDisposable
{
    public const string NamePrefix = "nfx-";
    private const int CloneNewNet = 0x40000000;

    private NetworkNamespace(string name) => Name = name;

    public string Name { get; }

    public static async Task<NetworkNamespace> CreateAsync()
    {
        Prerequisites.RequireRoot();
        Prerequisites.RequireCommand("ip", "iproute2");
        var name = NamePrefix + Guid.NewGuid().ToString("N")[..10];
        (await TestCommand.RunAsync("ip", ["netns", "add", name])).EnsureSuccess($"ip netns add {name}");
        var created = new NetworkNamespace(name);
        try
        {
            (await created.ExecAsync("ip", ["link", "set", "lo", "up"])).EnsureSuccess("ip link set lo up");
        }
        catch
        {
            await created.DisposeAsync();
            throw;
        }
        return created;
    }

    /// <summary>Runs a command inside the namespace (ip netns exec).</summary>
    public Task<CommandResult> ExecAsync(string command, IEnumerable<string> arguments, string? standardInput = null, TimeSpan? timeout = null) =>
        TestCommand.RunAsync("ip", ["netns", "exec", Name, command, .. arguments], standardInput, timeout);

    /// <summary>Loads a saved dump with e.g. iptables-legacy-restore -c; fails the test if the tool rejects it.</summary>
    public async Task RestoreAsync(string restoreCommand, string dump)
    {
        Prerequisites.RequireCommand(restoreCommand, "iptables");
        (await ExecAsync(restoreCommand, ["-c"], dump)).EnsureSuccess($"{restoreCommand} -c in {Name}");
    }

    /// <summary>
    /// An HttpClient whose connections are made from inside the namespace, so a test reaches a server
    /// listening on the namespace's own loopback. A socket stays in the namespace it was created in, so only
    /// its creation needs the thread switched with setns(2).
    /// </summary>
    public HttpClient CreateHttpClient(TimeSpan? timeout = null)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = CreateSocketInside(context.DnsEndPoint.Host.Contains(':') ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork);
                try
                {
                    await socket.ConnectAsync(IPAddress.Parse(context.DnsEndPoint.Host.Trim('[', ']')), context.DnsEndPoint.Port, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { Timeout = timeout ?? TimeSpan.FromSeconds(30) };
    }

    /// <summary>Creates a TCP socket that belongs to this namespace (to listen or connect there).</summary>
    public Socket CreateSocketInside(AddressFamily family) => CreateSocketIn("/var/run/netns/" + Name, family);

    /// <summary>
    /// Creates a TCP socket in the network namespace bound at <paramref name="namespacePath"/>: one made by
    /// ip netns add, or one a container runtime mounted for a pod (its PodSandboxStatus names the path).
    /// </summary>
    public static Socket CreateSocketIn(string namespacePath, AddressFamily family)
    {
        Socket? socket = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var original = File.OpenHandle("/proc/self/task/" + GetThreadId() + "/ns/net");
                using var target = File.OpenHandle(namespacePath);
                if (SetNamespace((int)target.DangerousGetHandle(), CloneNewNet) != 0)
                {
                    throw new InvalidOperationException($"setns into {namespacePath} failed: errno {Marshal.GetLastPInvokeError()}");
                }
                try
                {
                    socket = new Socket(family, SocketType.Stream, ProtocolType.Tcp);
                }
                finally
                {
                    SetNamespace((int)original.DangerousGetHandle(), CloneNewNet);
                }
            }
            catch (Exception exception)
            {
                failure = exception;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw failure;
        }
        return socket!;
    }

    public async ValueTask DisposeAsync()
    {
        await TestCommand.RunAsync("ip", ["netns", "del", Name]);
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNamespace(int fd, int nstype);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetThreadId();
}
