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
}
