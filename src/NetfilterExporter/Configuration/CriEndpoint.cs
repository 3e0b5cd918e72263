using NetfilterExporter.Host;

namespace NetfilterExporter.Configuration;

/// <summary><c>--cri.endpoint</c>: <c>auto</c>, <c>unix:///path</c> or <c>none</c> (docs/contract.md §4).</summary>
public sealed record CriEndpoint(CriEndpointMode Mode, string? SocketPath)
{
    public const string UnixScheme = "unix://";

    /// <summary>
    /// Where runtimes put their CRI socket, most specific first: MicroK8s' containerd (the product's case), plain
    /// containerd, k3s' containerd, CRI-O. Looked up under --path.rootfs with links followed inside it (the node's
    /// /var/run is a link to /run), so a DaemonSet reaches the host's socket through its read-only host root mount, also
    /// after the runtime re-created the socket.
    /// </summary>
    public static IReadOnlyList<string> AutoCandidates { get; } =
    [
        "/var/snap/microk8s/common/run/containerd.sock",
        "/run/containerd/containerd.sock",
        "/run/k3s/containerd/containerd.sock",
        "/var/run/crio/crio.sock",
    ];

    public static CriEndpoint Auto { get; } = new(CriEndpointMode.Auto, null);

    public static CriEndpoint None { get; } = new(CriEndpointMode.None, null);

    public static CriEndpoint Parse(string text) => text switch
    {
        "auto" => Auto,
        "none" => None,
        _ when text.StartsWith(UnixScheme, StringComparison.Ordinal) && text.Length > UnixScheme.Length + 1 && text[UnixScheme.Length] == '/' =>
            new CriEndpoint(CriEndpointMode.Explicit, text[UnixScheme.Length..]),
        _ => throw new UsageException($"--{Flags.CriEndpoint} must be auto, none or unix:///absolute/path/to/the/runtime.sock, got '{text}'"),
    };

    /// <summary>
    /// The sockets to try in this collection, in order; empty when there is none to ask. In auto mode every candidate
    /// that exists, so that a containerd without its CRI plugin (Docker's) does not hide k3s' or CRI-O's runtime.
    /// Resolved on every collection, so a runtime installed after the exporter started is found without a restart.
    /// </summary>
    public IReadOnlyList<string> Resolve(string rootFs) => Mode switch
    {
        CriEndpointMode.Explicit => [SocketPath!],
        CriEndpointMode.Auto => AutoCandidates.Select(candidate => UnderRoot(rootFs, candidate)).Where(File.Exists).OfType<string>().ToList(),
        _ => [],
    };

    private static string? UnderRoot(string rootFs, string candidate)
    {
        try
        {
            return new RootFileSystem(rootFs).Resolve(candidate).HostPath;
        }
        catch (HostFileException)
        {
            // A link loop or an unreadable directory on the way: no runtime socket there.
            return null;
        }
    }
}
