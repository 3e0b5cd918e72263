using Microsoft.Extensions.Logging;
using NetfilterExporter.Collection;
using NetfilterExporter.Configuration;

namespace NetfilterExporter.Cri;

/// <summary>
/// The <c>cri</c> collector: which pod sandboxes the container runtime lists, and which of them are ready. Of several
/// candidate sockets (auto mode) the first that serves CRI is asked; one that answers gRPC without the runtime
/// service is skipped.
/// </summary>
public sealed class CriCollector(IReadOnlyList<string> sockets, ILogger logger, TimeProvider clock) : ICollector, ISandboxRelister
{
    /// <summary>
    /// How long a sandbox may be held by containerd's stores and not listed by CRI and still be one being created: the
    /// kubelet gives RunPodSandbox twice its --runtime-request-timeout (2 minutes by default) and then abandons it.
    /// </summary>
    public static readonly TimeSpan CreationWindow = TimeSpan.FromMinutes(5);

    // A collector is made for one collection: the socket that answered its first list is asked for the second.
    private string? answered;

    public const string CollectorName = "cri";

    public static CollectorRegistration Registration { get; } = new(
        CollectorName,
        true,
        "Ask the container runtime (--cri.endpoint) which pod sandboxes are live, so that a claim of a pod that is gone is called stale.",
        Create,
        (options, on) => on && options.CriEndpoint.Mode == CriEndpointMode.None ? $"--{Flags.CriEndpoint}=none"
            : !on && options.CriEndpoint.Mode == CriEndpointMode.Explicit ? $"--{Flags.CriEndpoint}={CriEndpoint.UnixScheme}{options.CriEndpoint.SocketPath}"
            : null);

    public string Name => CollectorName;

    public string Reads => sockets.Count > 0 ? string.Join(", ", sockets) : "no runtime socket found";

    public async Task<ICollectorResult> CollectAsync(CancellationToken cancellationToken)
    {
        if (sockets.Count == 0)
        {
            throw new FileNotFoundException(
                $"no container runtime socket found under --{Flags.RootFs} (searched {string.Join(", ", CriEndpoint.AutoCandidates)}); give --{Flags.CriEndpoint}=unix:///path");
        }
        for (var i = 0; ; i++)
        {
            try
            {
                var sandboxes = await CriClient.ListPodSandboxesAsync(sockets[i], cancellationToken);
                answered = sockets[i];
                // Which socket answered, and when: the claims the dumps then show are judged by this list.
                logger.LogDebug("cri: {Socket} listed {Sandboxes} sandbox(es)", sockets[i], sandboxes.Count);
                return new PodSandboxes(sandboxes);
            }
            catch (CriException notCri) when (notCri.NotCri && i + 1 < sockets.Count)
            {
                logger.LogDebug("cri: {Error}; trying the next socket", notCri.Message);
            }
        }
    }

    private static CriCollector? Create(CollectorContext context)
    {
        var options = context.Options;
        var named = context.IsExplicit(CollectorName);
        // Saved dumps are from another time or node: auto asks this node's runtime only about this node's tables, or
        // every claim of an old dump would be called stale. An explicit endpoint, or the collector asked for by name, is still asked.
        var endpoint = options.DumpFiles.Count > 0 && options.CriEndpoint.Mode == CriEndpointMode.Auto && !named ? CriEndpoint.None : options.CriEndpoint;
        var sockets = endpoint.Resolve(options.HostPaths.RootFs);
        return sockets.Count > 0 || named ? new CriCollector(sockets, context.Loggers.CreateLogger<CriCollector>(), context.Clock) : null;
    }

    public async Task<PodSandboxes> ListAgainAsync(int unconfirmed, CancellationToken cancellationToken)
    {
        var socket = answered ?? throw new InvalidOperationException("the runtime is asked again only after its first list");
        logger.LogDebug("cri: {Claims} claim(s) not live in the first list, asking the runtime again after the dumps", unconfirmed);
        return new PodSandboxes(await CriClient.ListPodSandboxesAsync(socket, cancellationToken));
    }

    public async Task<IReadOnlySet<string>?> BeingCreatedAsync(IReadOnlyCollection<string> notListed, CancellationToken cancellationToken)
    {
        var socket = answered ?? throw new InvalidOperationException("the runtime's stores are asked only after its first list");
        if (await ContainerdStores.HoldingAsync(socket, notListed, cancellationToken) is not { } held)
        {
            logger.LogDebug("cri: {Socket} serves neither of containerd's stores; {Claims} sandbox id(s) no list holds are judged by the lists", socket, notListed.Count);
            return null;
        }
        var now = clock.GetUtcNow();
        var creating = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (id, created) in held)
        {
            if (created is { } at && now - at > CreationWindow)
            {
                // Held this long yet never listed: a creation the kubelet gave up on, or a removal that failed half way.
                logger.LogDebug("cri: containerd holds sandbox {Sandbox} since {Created:O}, CRI does not list it: not being created", id, at);
                continue;
            }
            creating.Add(id);
        }
        logger.LogDebug("cri: of {Claims} sandbox id(s) no list holds, containerd is creating {Creating}", notListed.Count, creating.Count);
        return creating;
    }
}
