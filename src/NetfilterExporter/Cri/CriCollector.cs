using Microsoft.Extensions.Logging;
using NetfilterExporter.Collection;

namespace NetfilterExporter.Cri;

/// <summary>The <c>cri</c> collector: which pod sandboxes the container runtime lists, and which of them are ready.</summary>
public sealed class CriCollector(string socketPath, ILogger logger) : ICollector
{
    public const string CollectorName = "cri";

    public string Name => CollectorName;

    public async Task<ICollectorResult> CollectAsync(CancellationToken cancellationToken) =>
        new PodSandboxes(await CriClient.ListPodSandboxesAsync(socketPath, cancellationToken), AskAgainAsync);

    private async Task<PodSandboxes> AskAgainAsync(int unconfirmed, CancellationToken cancellationToken)
    {
        logger.LogDebug("cri: {Claims} claim(s) not live in the first list, asking the runtime again after the dumps", unconfirmed);
        return new PodSandboxes(await CriClient.ListPodSandboxesAsync(socketPath, cancellationToken), askAgain: null);
    }
}
